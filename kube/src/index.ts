// @headland/kube: Kubernetes plumbing shared by the controller and the speaker.
export {};
