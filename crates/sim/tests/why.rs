//! Every waiting state carries its cause: the "why?" of the playground comes from the trace.

use podsim::settings::Settings;
use podsim::Scenario;

const MANIFEST: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: gated
spec:
  restartPolicy: Never
  initContainers:
  - name: proxy
    image: busybox:1.36
    restartPolicy: Always
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 10 & wait $!; touch /tmp/up; sleep 600 & wait $!"]
    startupProbe:
      exec:
        command: ["test", "-f", "/tmp/up"]
  - name: migrate
    image: busybox:1.36
    command: ["sh", "-c", "sleep 2"]
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 5"]
"#;

#[test]
fn waits_name_their_rule_and_end_when_the_container_starts() {
    let settings = Settings { until: 120_000, ..Settings::default() };
    let trace = podsim::simulate(&Scenario { manifest: MANIFEST.into(), settings, actions: Vec::new() })
        .expect("valid manifest");
    let waits_of = |c: &str| trace.waits.iter().filter(move |w| w.container == c).collect::<Vec<_>>();

    let migrate = waits_of("migrate");
    let first = migrate.first().and_then(|w| w.cause.as_ref()).expect("migrate waits at first");
    assert_eq!(first.rule, "kubelet: computeInitContainerActions");
    assert!(first.detail.contains("sidecar proxy is not started yet"), "{}", first.detail);
    assert!(first.detail.contains("startupProbe"), "{}", first.detail);

    let app = waits_of("app");
    let first = app.first().and_then(|w| w.cause.as_ref()).expect("app waits at first");
    assert_eq!(first.rule, "kubelet: computePodActions");
    assert!(first.detail.contains("initialized"), "{}", first.detail);

    // The wait ends (cause None) when the container is started, and the last word is why
    // it stays stopped: restartPolicy Never.
    let started = trace.happenings.iter().find(|h| h.container == "app" && format!("{:?}", h.what) == "Started");
    let started = started.expect("app starts").t;
    assert!(app.iter().any(|w| w.cause.is_none() && w.t <= started), "{app:?}");
    let last = app.last().and_then(|w| w.cause.as_ref()).expect("app ends with a reason");
    assert!(last.detail.contains("restartPolicy Never"), "{}", last.detail);
}
