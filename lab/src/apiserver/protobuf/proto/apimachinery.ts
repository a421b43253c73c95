// Our proto2 declarations of the apimachinery messages every object uses (envelope, metadata,
// times, quantities, int-or-string); field numbers and types follow upstream, `(go)` options say how Go's JSON treats them.

export const RUNTIME_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2 [(go) = "ptr"];
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;

export const INTSTR_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`;

export const RESOURCE_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

message Quantity {
  optional string string = 1;
}
`;

export const META_V1_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message MicroTime {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message FieldsV1 {
  optional bytes Raw = 1 [(go) = "ptr"];
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9 [(go) = "ptr"];
  optional int64 deletionGracePeriodSeconds = 10 [(go) = "ptr"];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message ListMeta {
  optional string selfLink = 1;
  optional string resourceVersion = 2;
  optional string continue = 3;
  optional int64 remainingItemCount = 4 [(go) = "ptr"];
}

message OwnerReference {
  optional string kind = 1 [(go) = "always"];
  optional string name = 3 [(go) = "always"];
  optional string uid = 4 [(go) = "always"];
  optional string apiVersion = 5 [(go) = "always"];
  optional bool controller = 6 [(go) = "ptr"];
  optional bool blockOwnerDeletion = 7 [(go) = "ptr"];
}

message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4 [(go) = "ptr"];
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7 [(go) = "ptr"];
  optional string subresource = 8;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message LabelSelectorRequirement {
  optional string key = 1 [(go) = "always"];
  optional string operator = 2 [(go) = "always"];
  repeated string values = 3;
}

message FieldSelectorRequirement {
  optional string key = 1 [(go) = "always"];
  optional string operator = 2 [(go) = "always"];
  repeated string values = 3;
}

message Condition {
  optional string type = 1 [(go) = "always"];
  optional string status = 2 [(go) = "always"];
  optional int64 observedGeneration = 3;
  optional Time lastTransitionTime = 4;
  optional string reason = 5 [(go) = "always"];
  optional string message = 6 [(go) = "always"];
}

message Status {
  optional ListMeta metadata = 1;
  optional string status = 2;
  optional string message = 3;
  optional string reason = 4;
  optional StatusDetails details = 5 [(go) = "ptr"];
  optional int32 code = 6;
}

message StatusDetails {
  optional string name = 1;
  optional string group = 2;
  optional string kind = 3;
  repeated StatusCause causes = 4;
  optional int32 retryAfterSeconds = 5;
  optional string uid = 6;
}

message StatusCause {
  optional string reason = 1;
  optional string message = 2;
  optional string field = 3;
}
`;
