// Our proto2 declarations of a container's probes and lifecycle hooks (exec, HTTP GET, TCP, gRPC, sleep);
// upstream field numbers and types, `(go)` options for Go's JSON omission rules.

const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';

export const CORE_V1_PROBES_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

message Probe {
  optional ProbeHandler handler = 1 [(go) = "inline"];
  optional int32 initialDelaySeconds = 2;
  optional int32 timeoutSeconds = 3;
  optional int32 periodSeconds = 4;
  optional int32 successThreshold = 5;
  optional int32 failureThreshold = 6;
  optional int64 terminationGracePeriodSeconds = 7 [(go) = "ptr"];
}

message ProbeHandler {
  optional ExecAction exec = 1 [(go) = "ptr"];
  optional HTTPGetAction httpGet = 2 [(go) = "ptr"];
  optional TCPSocketAction tcpSocket = 3 [(go) = "ptr"];
  optional GRPCAction grpc = 4 [(go) = "ptr"];
}

message Lifecycle {
  optional LifecycleHandler postStart = 1 [(go) = "ptr"];
  optional LifecycleHandler preStop = 2 [(go) = "ptr"];
}

message LifecycleHandler {
  optional ExecAction exec = 1 [(go) = "ptr"];
  optional HTTPGetAction httpGet = 2 [(go) = "ptr"];
  optional TCPSocketAction tcpSocket = 3 [(go) = "ptr"];
  optional SleepAction sleep = 4 [(go) = "ptr"];
}

message ExecAction {
  repeated string command = 1;
}

message HTTPGetAction {
  optional string path = 1;
  optional ${INT_OR_STRING} port = 2;
  optional string host = 3;
  optional string scheme = 4;
  repeated HTTPHeader httpHeaders = 5;
}

message HTTPHeader {
  optional string name = 1 [(go) = "always"];
  optional string value = 2 [(go) = "always"];
}

message TCPSocketAction {
  optional ${INT_OR_STRING} port = 1;
  optional string host = 2;
}

message GRPCAction {
  optional int32 port = 1 [(go) = "always"];
  optional string service = 2 [(go) = "ptr"];
}

message SleepAction {
  optional int64 seconds = 1 [(go) = "always"];
}
`;
