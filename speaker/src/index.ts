// @headland/speaker: announcement policy and the per-node agent.
export {};
