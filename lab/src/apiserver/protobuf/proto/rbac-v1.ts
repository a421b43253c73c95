// Our proto2 declarations of rbac.authorization.k8s.io/v1: Role, ClusterRole (with its aggregationRule),
// RoleBinding, ClusterRoleBinding and their lists; upstream field numbers, `(go)` options from the Go json tags.

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

export const RBAC_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.rbac.v1;

message PolicyRule {
  repeated string verbs = 1 [(go) = "always"];
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
  repeated string nonResourceURLs = 5;
}

message Subject {
  optional string kind = 1 [(go) = "always"];
  optional string apiGroup = 2;
  optional string name = 3 [(go) = "always"];
  optional string namespace = 4;
}

message RoleRef {
  optional string apiGroup = 1 [(go) = "always"];
  optional string kind = 2 [(go) = "always"];
  optional string name = 3 [(go) = "always"];
}

message AggregationRule {
  repeated ${META}.LabelSelector clusterRoleSelectors = 1;
}

message Role {
  optional ${META}.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2 [(go) = "always"];
}

message ClusterRole {
  optional ${META}.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2 [(go) = "always"];
  optional AggregationRule aggregationRule = 3 [(go) = "ptr"];
}

message RoleBinding {
  optional ${META}.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}

message ClusterRoleBinding {
  optional ${META}.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}

message RoleList {
  optional ${META}.ListMeta metadata = 1;
  repeated Role items = 2 [(go) = "always"];
}

message ClusterRoleList {
  optional ${META}.ListMeta metadata = 1;
  repeated ClusterRole items = 2 [(go) = "always"];
}

message RoleBindingList {
  optional ${META}.ListMeta metadata = 1;
  repeated RoleBinding items = 2 [(go) = "always"];
}

message ClusterRoleBindingList {
  optional ${META}.ListMeta metadata = 1;
  repeated ClusterRoleBinding items = 2 [(go) = "always"];
}
`;
