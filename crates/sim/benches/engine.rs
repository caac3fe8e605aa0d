//! How fast the engine simulates: the seed article's four scenarios, and a large
//! Deployment with a sidecar over one simulated hour at two sizes (cost should grow
//! linearly with the number of happenings).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use podsim::settings::{KubeVersion, Settings};
use podsim::Scenario;

const LEGACY_JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  backoffLimit: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl:5.34.0
        command: [\"perl\", \"-Mbignum=bpi\", \"-wle\", \"print bpi(2000)\"]
      - name: network-proxy
        image: hwchiu/netutils
        command: [\"sleep\", \"infinity\"]
";

const NATIVE_JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  backoffLimit: 4
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: network-proxy
        image: hwchiu/netutils
        restartPolicy: Always
        command: [\"sleep\", \"infinity\"]
      containers:
      - name: pi
        image: perl:5.34.0
        command: [\"perl\", \"-Mbignum=bpi\", \"-wle\", \"print bpi(2000)\"]
";

fn deployment(replicas: usize, native: bool) -> String {
    let proxy = "    - name: proxy
      image: python:3.11-alpine
      command: [\"python3\", \"-m\", \"http.server\", \"5000\"]
      startupProbe:
        httpGet:
          path: /
          port: 5000
";
    let app = "    - name: app
      image: hwchiu/netutils
      command: [\"sh\", \"-c\", \"nc -zv localhost 5000 && sleep 1d\"]
";
    let spec = if native {
        format!("    initContainers:\n{}      restartPolicy: Always\n    containers:\n{app}", proxy)
    } else {
        format!("    containers:\n{app}{proxy}")
    };
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: sidecar-demo
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: sidecar-demo
  template:
    metadata:
      labels:
        app: sidecar-demo
    spec:
{}",
        spec.lines().map(|l| format!("  {l}\n")).collect::<String>()
    )
}

fn scenario(manifest: String, until_ms: u64) -> Scenario {
    Scenario {
        manifest,
        settings: Settings { version: KubeVersion::new(28), until: until_ms, ..Settings::default() }
            .with_gate("SidecarContainers", true),
        actions: Vec::new(),
    }
}

fn seeds(c: &mut Criterion) {
    let cases = [
        ("seed-a-legacy-job", scenario(LEGACY_JOB.into(), 600_000)),
        ("seed-b-native-job", scenario(NATIVE_JOB.into(), 300_000)),
        ("seed-c-legacy-deployment", scenario(deployment(3, false), 120_000)),
        ("seed-d-native-deployment", scenario(deployment(3, true), 120_000)),
    ];
    let mut group = c.benchmark_group("seed");
    for (name, s) in &cases {
        group.bench_function(*name, |b| b.iter(|| podsim::simulate(s).map(|t| t.happenings.len())));
    }
    group.finish();
}

fn large_deployment(c: &mut Criterion) {
    let mut group = c.benchmark_group("deployment-1h");
    group.sample_size(10);
    for replicas in [500, 1000] {
        let s = scenario(deployment(replicas, true), 3_600_000);
        group.bench_with_input(BenchmarkId::from_parameter(replicas), &s, |b, s| {
            b.iter(|| podsim::simulate(s).map(|t| t.happenings.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, seeds, large_deployment);
criterion_main!(benches);
