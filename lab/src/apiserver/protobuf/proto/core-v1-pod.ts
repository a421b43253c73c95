// Our proto2 declarations of Pod, PodSpec and PodTemplateSpec with what they contain, as far as
// kubectl's generators and ordinary workloads fill them; fields left out are refused on the wire, never dropped.

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';

export const CORE_V1_POD_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

message Pod {
  optional ${META}.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
  optional PodStatus status = 3;
}

message PodList {
  optional ${META}.ListMeta metadata = 1;
  repeated Pod items = 2 [(go) = "always"];
}

message PodTemplateSpec {
  optional ${META}.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
}

message PodSpec {
  repeated Volume volumes = 1;
  repeated Container containers = 2 [(go) = "always"];
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4 [(go) = "ptr"];
  optional int64 activeDeadlineSeconds = 5 [(go) = "ptr"];
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string serviceAccount = 9;
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  optional PodSecurityContext securityContext = 14 [(go) = "ptr"];
  repeated LocalObjectReference imagePullSecrets = 15;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional Affinity affinity = 18 [(go) = "ptr"];
  optional string schedulerName = 19;
  repeated Container initContainers = 20;
  optional bool automountServiceAccountToken = 21 [(go) = "ptr"];
  repeated Toleration tolerations = 22;
  repeated HostAlias hostAliases = 23;
  optional string priorityClassName = 24;
  optional int32 priority = 25 [(go) = "ptr"];
  optional PodDNSConfig dnsConfig = 26 [(go) = "ptr"];
  optional bool shareProcessNamespace = 27 [(go) = "ptr"];
  repeated PodReadinessGate readinessGates = 28;
  optional string runtimeClassName = 29 [(go) = "ptr"];
  optional bool enableServiceLinks = 30 [(go) = "ptr"];
  optional string preemptionPolicy = 31 [(go) = "ptr"];
  map<string, ${QUANTITY}> overhead = 32;
  repeated TopologySpreadConstraint topologySpreadConstraints = 33;
  optional bool setHostnameAsFQDN = 35 [(go) = "ptr"];
  optional PodOS os = 36 [(go) = "ptr"];
  optional bool hostUsers = 37 [(go) = "ptr"];
  repeated PodSchedulingGate schedulingGates = 38;
  optional ResourceRequirements resources = 40 [(go) = "ptr"];
}

message Container {
  optional string name = 1 [(go) = "always"];
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  repeated VolumeMount volumeMounts = 9;
  optional Probe livenessProbe = 10 [(go) = "ptr"];
  optional Probe readinessProbe = 11 [(go) = "ptr"];
  optional Lifecycle lifecycle = 12 [(go) = "ptr"];
  optional string terminationMessagePath = 13;
  optional string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15 [(go) = "ptr"];
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
  repeated EnvFromSource envFrom = 19;
  optional string terminationMessagePolicy = 20;
  repeated VolumeDevice volumeDevices = 21;
  optional Probe startupProbe = 22 [(go) = "ptr"];
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24 [(go) = "ptr"];
}

message ContainerPort {
  optional string name = 1;
  optional int32 hostPort = 2;
  optional int32 containerPort = 3 [(go) = "always"];
  optional string protocol = 4;
  optional string hostIP = 5;
}

message EnvVar {
  optional string name = 1 [(go) = "always"];
  optional string value = 2;
  optional EnvVarSource valueFrom = 3 [(go) = "ptr"];
}

message EnvVarSource {
  optional ObjectFieldSelector fieldRef = 1 [(go) = "ptr"];
  optional ResourceFieldSelector resourceFieldRef = 2 [(go) = "ptr"];
  optional ConfigMapKeySelector configMapKeyRef = 3 [(go) = "ptr"];
  optional SecretKeySelector secretKeyRef = 4 [(go) = "ptr"];
}

message ObjectFieldSelector {
  optional string apiVersion = 1;
  optional string fieldPath = 2 [(go) = "always"];
}

message ResourceFieldSelector {
  optional string containerName = 1;
  optional string resource = 2 [(go) = "always"];
  optional ${QUANTITY} divisor = 3;
}

message LocalObjectReference {
  optional string name = 1;
}

message ConfigMapKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  optional string key = 2 [(go) = "always"];
  optional bool optional = 3 [(go) = "ptr"];
}

message SecretKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  optional string key = 2 [(go) = "always"];
  optional bool optional = 3 [(go) = "ptr"];
}

message EnvFromSource {
  optional string prefix = 1;
  optional ConfigMapEnvSource configMapRef = 2 [(go) = "ptr"];
  optional SecretEnvSource secretRef = 3 [(go) = "ptr"];
}

message ConfigMapEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  optional bool optional = 2 [(go) = "ptr"];
}

message SecretEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(go) = "inline"];
  optional bool optional = 2 [(go) = "ptr"];
}

message ResourceRequirements {
  map<string, ${QUANTITY}> limits = 1;
  map<string, ${QUANTITY}> requests = 2;
  repeated ResourceClaim claims = 3;
}

message ResourceClaim {
  optional string name = 1 [(go) = "always"];
  optional string request = 2;
}

message ContainerResizePolicy {
  optional string resourceName = 1 [(go) = "always"];
  optional string restartPolicy = 2 [(go) = "always"];
}

message VolumeMount {
  optional string name = 1 [(go) = "always"];
  optional bool readOnly = 2;
  optional string mountPath = 3 [(go) = "always"];
  optional string subPath = 4;
  optional string mountPropagation = 5 [(go) = "ptr"];
  optional string subPathExpr = 6;
  optional string recursiveReadOnly = 7 [(go) = "ptr"];
}

message VolumeDevice {
  optional string name = 1 [(go) = "always"];
  optional string devicePath = 2 [(go) = "always"];
}

message SecurityContext {
  optional Capabilities capabilities = 1 [(go) = "ptr"];
  optional bool privileged = 2 [(go) = "ptr"];
  optional SELinuxOptions seLinuxOptions = 3 [(go) = "ptr"];
  optional int64 runAsUser = 4 [(go) = "ptr"];
  optional bool runAsNonRoot = 5 [(go) = "ptr"];
  optional bool readOnlyRootFilesystem = 6 [(go) = "ptr"];
  optional bool allowPrivilegeEscalation = 7 [(go) = "ptr"];
  optional int64 runAsGroup = 8 [(go) = "ptr"];
  optional string procMount = 9 [(go) = "ptr"];
  optional WindowsSecurityContextOptions windowsOptions = 10 [(go) = "ptr"];
  optional SeccompProfile seccompProfile = 11 [(go) = "ptr"];
  optional AppArmorProfile appArmorProfile = 12 [(go) = "ptr"];
}

message Capabilities {
  repeated string add = 1;
  repeated string drop = 2;
}

message SELinuxOptions {
  optional string user = 1;
  optional string role = 2;
  optional string type = 3;
  optional string level = 4;
}

message WindowsSecurityContextOptions {
  optional string gmsaCredentialSpecName = 1 [(go) = "ptr"];
  optional string gmsaCredentialSpec = 2 [(go) = "ptr"];
  optional string runAsUserName = 3 [(go) = "ptr"];
  optional bool hostProcess = 4 [(go) = "ptr"];
}

message SeccompProfile {
  optional string type = 1 [(go) = "always"];
  optional string localhostProfile = 2 [(go) = "ptr"];
}

message AppArmorProfile {
  optional string type = 1 [(go) = "always"];
  optional string localhostProfile = 2 [(go) = "ptr"];
}

message PodSecurityContext {
  optional SELinuxOptions seLinuxOptions = 1 [(go) = "ptr"];
  optional int64 runAsUser = 2 [(go) = "ptr"];
  optional bool runAsNonRoot = 3 [(go) = "ptr"];
  repeated int64 supplementalGroups = 4;
  optional int64 fsGroup = 5 [(go) = "ptr"];
  optional int64 runAsGroup = 6 [(go) = "ptr"];
  repeated Sysctl sysctls = 7;
  optional WindowsSecurityContextOptions windowsOptions = 8 [(go) = "ptr"];
  optional string fsGroupChangePolicy = 9 [(go) = "ptr"];
  optional SeccompProfile seccompProfile = 10 [(go) = "ptr"];
  optional AppArmorProfile appArmorProfile = 11 [(go) = "ptr"];
  optional string supplementalGroupsPolicy = 12 [(go) = "ptr"];
  optional string seLinuxChangePolicy = 13 [(go) = "ptr"];
}

message Sysctl {
  optional string name = 1 [(go) = "always"];
  optional string value = 2 [(go) = "always"];
}
`;
