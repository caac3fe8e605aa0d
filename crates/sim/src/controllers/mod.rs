//! Workload controllers of kube-controller-manager: Job, Deployment and ReplicaSet. Each
//! reacts to its objects and their pods and writes their status, as upstream's sync loops do.

mod deployment;
mod job;
mod replicaset;
