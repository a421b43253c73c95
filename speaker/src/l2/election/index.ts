// The L2 election: per Service IP, one owner among the eligible, alive nodes, balanced and stable.
export { electL2, ownedBy, type L2Election, type L2Owner } from './elect.js';
export { contestsOf, ELECTION_REASON, type ElectionInput, type ElectionReason, type ElectionVerdict, type IPContest, type Candidate } from './candidates.js';
export { assignOwners, assignRendezvous, type Assignment, type Contest } from './assign.js';
export { ElectionError } from './errors.js';
