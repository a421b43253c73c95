// Our proto2 declarations of the create-only kinds: authentication.k8s.io/v1 (TokenRequest, TokenReview,
// SelfSubjectReview) and authorization.k8s.io/v1 (the access and rules reviews); none has a list.

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

// Field names are the JSON names: upstream's proto calls BoundObjectReference.uid `uID` (same number, 4).
// ExtraValue is a Go []string, so its JSON is the bare list (schema.ts makes it special).
export const AUTHENTICATION_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.authentication.v1;

message ExtraValue {
  repeated string items = 1;
}

message UserInfo {
  optional string username = 1;
  optional string uid = 2;
  repeated string groups = 3;
  map<string, ExtraValue> extra = 4;
}

message BoundObjectReference {
  optional string kind = 1;
  optional string apiVersion = 2;
  optional string name = 3;
  optional string uid = 4;
}

message TokenRequest {
  optional ${META}.ObjectMeta metadata = 1;
  optional TokenRequestSpec spec = 2;
  optional TokenRequestStatus status = 3;
}

message TokenRequestSpec {
  repeated string audiences = 1 [(go) = "always"];
  optional BoundObjectReference boundObjectRef = 3 [(go) = "nullable"];
  optional int64 expirationSeconds = 4 [(go) = "nullable"];
}

message TokenRequestStatus {
  optional string token = 1 [(go) = "always"];
  optional ${META}.Time expirationTimestamp = 2;
}

message TokenReview {
  optional ${META}.ObjectMeta metadata = 1;
  optional TokenReviewSpec spec = 2;
  optional TokenReviewStatus status = 3;
}

message TokenReviewSpec {
  optional string token = 1;
  repeated string audiences = 2;
}

message TokenReviewStatus {
  optional bool authenticated = 1;
  optional UserInfo user = 2;
  optional string error = 3;
  repeated string audiences = 4;
}

message SelfSubjectReview {
  optional ${META}.ObjectMeta metadata = 1;
  optional SelfSubjectReviewStatus status = 2;
}

message SelfSubjectReviewStatus {
  optional UserInfo userInfo = 1;
}
`;

export const AUTHORIZATION_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.authorization.v1;

message ExtraValue {
  repeated string items = 1;
}

message ResourceAttributes {
  optional string namespace = 1;
  optional string verb = 2;
  optional string group = 3;
  optional string version = 4;
  optional string resource = 5;
  optional string subresource = 6;
  optional string name = 7;
  optional FieldSelectorAttributes fieldSelector = 8 [(go) = "ptr"];
  optional LabelSelectorAttributes labelSelector = 9 [(go) = "ptr"];
}

message FieldSelectorAttributes {
  optional string rawSelector = 1;
  repeated ${META}.FieldSelectorRequirement requirements = 2;
}

message LabelSelectorAttributes {
  optional string rawSelector = 1;
  repeated ${META}.LabelSelectorRequirement requirements = 2;
}

message NonResourceAttributes {
  optional string path = 1;
  optional string verb = 2;
}

message SubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1 [(go) = "ptr"];
  optional NonResourceAttributes nonResourceAttributes = 2 [(go) = "ptr"];
  optional string user = 3;
  repeated string groups = 4;
  map<string, ExtraValue> extra = 5;
  optional string uid = 6;
}

message SelfSubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1 [(go) = "ptr"];
  optional NonResourceAttributes nonResourceAttributes = 2 [(go) = "ptr"];
}

message SubjectAccessReviewStatus {
  optional bool allowed = 1 [(go) = "always"];
  optional string reason = 2;
  optional string evaluationError = 3;
  optional bool denied = 4;
}

message SubjectAccessReview {
  optional ${META}.ObjectMeta metadata = 1;
  optional SubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}

message LocalSubjectAccessReview {
  optional ${META}.ObjectMeta metadata = 1;
  optional SubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}

message SelfSubjectAccessReview {
  optional ${META}.ObjectMeta metadata = 1;
  optional SelfSubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}

message SelfSubjectRulesReview {
  optional ${META}.ObjectMeta metadata = 1;
  optional SelfSubjectRulesReviewSpec spec = 2;
  optional SubjectRulesReviewStatus status = 3;
}

message SelfSubjectRulesReviewSpec {
  optional string namespace = 1;
}

message SubjectRulesReviewStatus {
  repeated ResourceRule resourceRules = 1 [(go) = "always"];
  repeated NonResourceRule nonResourceRules = 2 [(go) = "always"];
  optional bool incomplete = 3 [(go) = "always"];
  optional string evaluationError = 4;
}

message ResourceRule {
  repeated string verbs = 1 [(go) = "always"];
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
}

message NonResourceRule {
  repeated string verbs = 1 [(go) = "always"];
  repeated string nonResourceURLs = 2;
}
`;
