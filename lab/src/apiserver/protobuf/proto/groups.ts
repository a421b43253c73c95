// Our proto2 declarations of the served kinds outside core/v1: apps/v1 Deployment and DaemonSet,
// coordination.k8s.io Lease, events.k8s.io Event, discovery.k8s.io EndpointSlice, and their lists.

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const CORE = 'k8s.io.api.core.v1';

export const APPS_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.apps.v1;

message Deployment {
  optional ${META}.ObjectMeta metadata = 1;
  optional DeploymentSpec spec = 2;
  optional DeploymentStatus status = 3;
}

message DeploymentSpec {
  optional int32 replicas = 1 [(go) = "ptr"];
  optional ${META}.LabelSelector selector = 2 [(go) = "ptr"];
  optional ${CORE}.PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6 [(go) = "ptr"];
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9 [(go) = "ptr"];
}

message DeploymentStrategy {
  optional string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2 [(go) = "ptr"];
}

message RollingUpdateDeployment {
  optional ${INT_OR_STRING} maxUnavailable = 1 [(go) = "ptr"];
  optional ${INT_OR_STRING} maxSurge = 2 [(go) = "ptr"];
}

message DeploymentStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 updatedReplicas = 3;
  optional int32 availableReplicas = 4;
  optional int32 unavailableReplicas = 5;
  repeated DeploymentCondition conditions = 6;
  optional int32 readyReplicas = 7;
  optional int32 collisionCount = 8 [(go) = "ptr"];
}

message DeploymentCondition {
  optional string type = 1 [(go) = "always"];
  optional string status = 2 [(go) = "always"];
  optional string reason = 4;
  optional string message = 5;
  optional ${META}.Time lastUpdateTime = 6;
  optional ${META}.Time lastTransitionTime = 7;
}

message DaemonSet {
  optional ${META}.ObjectMeta metadata = 1;
  optional DaemonSetSpec spec = 2;
  optional DaemonSetStatus status = 3;
}

message DaemonSetSpec {
  optional ${META}.LabelSelector selector = 1 [(go) = "ptr"];
  optional ${CORE}.PodTemplateSpec template = 2;
  optional DaemonSetUpdateStrategy updateStrategy = 3;
  optional int32 minReadySeconds = 4;
  optional int32 revisionHistoryLimit = 6 [(go) = "ptr"];
}

message DaemonSetUpdateStrategy {
  optional string type = 1;
  optional RollingUpdateDaemonSet rollingUpdate = 2 [(go) = "ptr"];
}

message RollingUpdateDaemonSet {
  optional ${INT_OR_STRING} maxUnavailable = 1 [(go) = "ptr"];
  optional ${INT_OR_STRING} maxSurge = 2 [(go) = "ptr"];
}

message DaemonSetStatus {
  optional int32 currentNumberScheduled = 1 [(go) = "always"];
  optional int32 numberMisscheduled = 2 [(go) = "always"];
  optional int32 desiredNumberScheduled = 3 [(go) = "always"];
  optional int32 numberReady = 4 [(go) = "always"];
  optional int64 observedGeneration = 5;
  optional int32 updatedNumberScheduled = 6;
  optional int32 numberAvailable = 7;
  optional int32 numberUnavailable = 8;
  optional int32 collisionCount = 9 [(go) = "ptr"];
  repeated DaemonSetCondition conditions = 10;
}

message DaemonSetCondition {
  optional string type = 1 [(go) = "always"];
  optional string status = 2 [(go) = "always"];
  optional ${META}.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message DeploymentList {
  optional ${META}.ListMeta metadata = 1;
  repeated Deployment items = 2 [(go) = "always"];
}

message DaemonSetList {
  optional ${META}.ListMeta metadata = 1;
  repeated DaemonSet items = 2 [(go) = "always"];
}
`;

export const COORDINATION_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.coordination.v1;

message Lease {
  optional ${META}.ObjectMeta metadata = 1;
  optional LeaseSpec spec = 2;
}

message LeaseSpec {
  optional string holderIdentity = 1 [(go) = "ptr"];
  optional int32 leaseDurationSeconds = 2 [(go) = "ptr"];
  optional ${META}.MicroTime acquireTime = 3 [(go) = "ptr"];
  optional ${META}.MicroTime renewTime = 4 [(go) = "ptr"];
  optional int32 leaseTransitions = 5 [(go) = "ptr"];
  optional string strategy = 6 [(go) = "ptr"];
  optional string preferredHolder = 7 [(go) = "ptr"];
}

message LeaseList {
  optional ${META}.ListMeta metadata = 1;
  repeated Lease items = 2 [(go) = "always"];
}
`;

export const EVENTS_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.events.v1;

message Event {
  optional ${META}.ObjectMeta metadata = 1;
  optional ${META}.MicroTime eventTime = 2;
  optional EventSeries series = 3 [(go) = "ptr"];
  optional string reportingController = 4;
  optional string reportingInstance = 5;
  optional string action = 6;
  optional string reason = 7;
  optional ${CORE}.ObjectReference regarding = 8;
  optional ${CORE}.ObjectReference related = 9 [(go) = "ptr"];
  optional string note = 10;
  optional string type = 11;
  optional ${CORE}.EventSource deprecatedSource = 12;
  optional ${META}.Time deprecatedFirstTimestamp = 13;
  optional ${META}.Time deprecatedLastTimestamp = 14;
  optional int32 deprecatedCount = 15;
}

message EventSeries {
  optional int32 count = 1 [(go) = "always"];
  optional ${META}.MicroTime lastObservedTime = 2;
}

message EventList {
  optional ${META}.ListMeta metadata = 1;
  repeated Event items = 2 [(go) = "always"];
}
`;

export const DISCOVERY_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.discovery.v1;

message EndpointSlice {
  optional ${META}.ObjectMeta metadata = 1;
  repeated Endpoint endpoints = 2 [(go) = "always"];
  repeated EndpointPort ports = 3 [(go) = "always"];
  optional string addressType = 4 [(go) = "always"];
}

message Endpoint {
  repeated string addresses = 1 [(go) = "always"];
  optional EndpointConditions conditions = 2;
  optional string hostname = 3 [(go) = "ptr"];
  optional ${CORE}.ObjectReference targetRef = 4 [(go) = "ptr"];
  map<string, string> deprecatedTopology = 5;
  optional string nodeName = 6 [(go) = "ptr"];
  optional string zone = 7 [(go) = "ptr"];
  optional EndpointHints hints = 8 [(go) = "ptr"];
}

message EndpointConditions {
  optional bool ready = 1 [(go) = "ptr"];
  optional bool serving = 2 [(go) = "ptr"];
  optional bool terminating = 3 [(go) = "ptr"];
}

message EndpointHints {
  repeated ForZone forZones = 1;
}

message ForZone {
  optional string name = 1 [(go) = "always"];
}

message EndpointPort {
  optional string name = 1 [(go) = "ptr"];
  optional string protocol = 2 [(go) = "ptr"];
  optional int32 port = 3 [(go) = "ptr"];
  optional string appProtocol = 4 [(go) = "ptr"];
}

message EndpointSliceList {
  optional ${META}.ListMeta metadata = 1;
  repeated EndpointSlice items = 2 [(go) = "always"];
}
`;
