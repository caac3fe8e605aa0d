//! The scheduler: binds each new pod to the node (one node for now; the shape leaves room
//! for several and for filtering by effective requests).

use crate::cluster::{PodId, World};

impl World {
    pub(crate) fn schedule_pod(&mut self, p: PodId) {
        let pod = &self.pods[p];
        if pod.gone || pod.node.is_some() || pod.deletion.is_some() {
            return;
        }
        let node = pod.spec.node_name.clone().unwrap_or_else(|| self.node.name.clone());
        let explicit = pod.spec.node_name.is_some();
        let ns_name = pod.namespaced();
        self.pods[p].node = Some(node.clone());
        self.pods[p].scheduled_at = Some(self.now);
        if !explicit {
            self.pod_event(
                p,
                "Normal",
                "Scheduled",
                "default-scheduler",
                format!("Successfully assigned {ns_name} to {node}"),
            );
        }
        // The kubelet sees the bound pod from its watch and starts a pod worker.
        self.pods[p].start_time = Some(self.now);
        self.dirty(p);
        self.request_sync(p);
    }
}
