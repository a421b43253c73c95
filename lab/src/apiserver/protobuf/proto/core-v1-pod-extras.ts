// Our proto2 declarations of the rest of a Pod: volumes, scheduling (affinity, tolerations, spread)
// and status; kept apart from core-v1-pod.ts only so each file stays readable.

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';

export const CORE_V1_POD_EXTRAS_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

message Volume {
  optional string name = 1 [(go) = "always"];
  optional VolumeSource volumeSource = 2 [(go) = "inline"];
}

message VolumeSource {
  optional HostPathVolumeSource hostPath = 1 [(go) = "ptr"];
  optional EmptyDirVolumeSource emptyDir = 2 [(go) = "ptr"];
  optional SecretVolumeSource secret = 6 [(go) = "ptr"];
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10 [(go) = "ptr"];
  optional DownwardAPIVolumeSource downwardAPI = 16 [(go) = "ptr"];
  optional ConfigMapVolumeSource configMap = 19 [(go) = "ptr"];
  optional ProjectedVolumeSource projected = 26 [(go) = "ptr"];
}

message HostPathVolumeSource {
  optional string path = 1 [(go) = "always"];
  optional string type = 2 [(go) = "ptr"];
}

message EmptyDirVolumeSource {
  optional string medium = 1;
  optional ${QUANTITY} sizeLimit = 2 [(go) = "ptr"];
}

message SecretVolumeSource {
  optional string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(go) = "ptr"];
  optional bool optional = 4 [(go) = "ptr"];
}

message ConfigMapVolumeSource {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(go) = "ptr"];
  optional bool optional = 4 [(go) = "ptr"];
}

message KeyToPath {
  optional string key = 1 [(go) = "always"];
  optional string path = 2 [(go) = "always"];
  optional int32 mode = 3 [(go) = "ptr"];
}

message PersistentVolumeClaimVolumeSource {
  optional string claimName = 1 [(go) = "always"];
  optional bool readOnly = 2;
}

message DownwardAPIVolumeSource {
  repeated DownwardAPIVolumeFile items = 1;
  optional int32 defaultMode = 2 [(go) = "ptr"];
}

message DownwardAPIVolumeFile {
  optional string path = 1 [(go) = "always"];
  optional ObjectFieldSelector fieldRef = 2 [(go) = "ptr"];
  optional ResourceFieldSelector resourceFieldRef = 3 [(go) = "ptr"];
  optional int32 mode = 4 [(go) = "ptr"];
}

message ProjectedVolumeSource {
  repeated VolumeProjection sources = 1 [(go) = "always"];
  optional int32 defaultMode = 2 [(go) = "ptr"];
}

message VolumeProjection {
  optional SecretProjection secret = 1 [(go) = "ptr"];
  optional DownwardAPIProjection downwardAPI = 2 [(go) = "ptr"];
  optional ConfigMapProjection configMap = 3 [(go) = "ptr"];
  optional ServiceAccountTokenProjection serviceAccountToken = 4 [(go) = "ptr"];
}

message SecretProjection {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(go) = "ptr"];
}

message ConfigMapProjection {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(go) = "ptr"];
}

message DownwardAPIProjection {
  repeated DownwardAPIVolumeFile items = 1;
}

message ServiceAccountTokenProjection {
  optional string audience = 1;
  optional int64 expirationSeconds = 2 [(go) = "ptr"];
  optional string path = 3 [(go) = "always"];
}

message Affinity {
  optional NodeAffinity nodeAffinity = 1 [(go) = "ptr"];
  optional PodAffinity podAffinity = 2 [(go) = "ptr"];
  optional PodAntiAffinity podAntiAffinity = 3 [(go) = "ptr"];
}

message NodeAffinity {
  optional NodeSelector requiredDuringSchedulingIgnoredDuringExecution = 1 [(go) = "ptr"];
  repeated PreferredSchedulingTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message NodeSelector {
  repeated NodeSelectorTerm nodeSelectorTerms = 1 [(go) = "always"];
}

message NodeSelectorTerm {
  repeated NodeSelectorRequirement matchExpressions = 1;
  repeated NodeSelectorRequirement matchFields = 2;
}

message NodeSelectorRequirement {
  optional string key = 1 [(go) = "always"];
  optional string operator = 2 [(go) = "always"];
  repeated string values = 3;
}

message PreferredSchedulingTerm {
  optional int32 weight = 1 [(go) = "always"];
  optional NodeSelectorTerm preference = 2;
}

message PodAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAntiAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAffinityTerm {
  optional ${META}.LabelSelector labelSelector = 1 [(go) = "ptr"];
  repeated string namespaces = 2;
  optional string topologyKey = 3 [(go) = "always"];
  optional ${META}.LabelSelector namespaceSelector = 4 [(go) = "ptr"];
  repeated string matchLabelKeys = 5;
  repeated string mismatchLabelKeys = 6;
}

message WeightedPodAffinityTerm {
  optional int32 weight = 1 [(go) = "always"];
  optional PodAffinityTerm podAffinityTerm = 2;
}

message Toleration {
  optional string key = 1;
  optional string operator = 2;
  optional string value = 3;
  optional string effect = 4;
  optional int64 tolerationSeconds = 5 [(go) = "ptr"];
}

message HostAlias {
  optional string ip = 1 [(go) = "always"];
  repeated string hostnames = 2;
}

message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated PodDNSConfigOption options = 3;
}

message PodDNSConfigOption {
  optional string name = 1;
  optional string value = 2 [(go) = "ptr"];
}

message PodReadinessGate {
  optional string conditionType = 1 [(go) = "always"];
}

message TopologySpreadConstraint {
  optional int32 maxSkew = 1 [(go) = "always"];
  optional string topologyKey = 2 [(go) = "always"];
  optional string whenUnsatisfiable = 3 [(go) = "always"];
  optional ${META}.LabelSelector labelSelector = 4 [(go) = "ptr"];
  optional int32 minDomains = 5 [(go) = "ptr"];
  optional string nodeAffinityPolicy = 6 [(go) = "ptr"];
  optional string nodeTaintsPolicy = 7 [(go) = "ptr"];
  repeated string matchLabelKeys = 8;
}

message PodOS {
  optional string name = 1 [(go) = "always"];
}

message PodSchedulingGate {
  optional string name = 1 [(go) = "always"];
}

message PodStatus {
  optional string phase = 1;
  repeated PodCondition conditions = 2;
  optional string message = 3;
  optional string reason = 4;
  optional string hostIP = 5;
  optional string podIP = 6;
  optional ${META}.Time startTime = 7 [(go) = "ptr"];
  repeated ContainerStatus containerStatuses = 8;
  optional string qosClass = 9;
  repeated ContainerStatus initContainerStatuses = 10;
  optional string nominatedNodeName = 11;
  repeated PodIP podIPs = 12;
  repeated HostIP hostIPs = 16;
}

message PodCondition {
  optional string type = 1 [(go) = "always"];
  optional string status = 2 [(go) = "always"];
  optional ${META}.Time lastProbeTime = 3;
  optional ${META}.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message PodIP {
  optional string ip = 1 [(go) = "always"];
}

message HostIP {
  optional string ip = 1 [(go) = "always"];
}

message ContainerStatus {
  optional string name = 1 [(go) = "always"];
  optional ContainerState state = 2;
  optional ContainerState lastState = 3;
  optional bool ready = 4 [(go) = "always"];
  optional int32 restartCount = 5 [(go) = "always"];
  optional string image = 6 [(go) = "always"];
  optional string imageID = 7 [(go) = "always"];
  optional string containerID = 8;
  optional bool started = 9 [(go) = "ptr"];
}

message ContainerState {
  optional ContainerStateWaiting waiting = 1 [(go) = "ptr"];
  optional ContainerStateRunning running = 2 [(go) = "ptr"];
  optional ContainerStateTerminated terminated = 3 [(go) = "ptr"];
}

message ContainerStateWaiting {
  optional string reason = 1;
  optional string message = 2;
}

message ContainerStateRunning {
  optional ${META}.Time startedAt = 1;
}

message ContainerStateTerminated {
  optional int32 exitCode = 1 [(go) = "always"];
  optional int32 signal = 2;
  optional string reason = 3;
  optional string message = 4;
  optional ${META}.Time startedAt = 5;
  optional ${META}.Time finishedAt = 6;
  optional string containerID = 7;
}
`;
