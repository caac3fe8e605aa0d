//! The engine never panics and never hangs: seeded random mutations of real manifests
//! (dropped and duplicated lines, absurd numbers, stray characters, shuffled indentation)
//! must all be answered with a trace or a syntax error.

use podsim::names::Rng;
use podsim::settings::{KubeVersion, Settings};
use podsim::Scenario;

const BASE: &[&str] = &[
    include_str!("scenarios/native-job-sidecar-stops.yaml"),
    include_str!("scenarios/legacy-deployment-restart.yaml"),
    include_str!("scenarios/probes-and-hooks.yaml"),
];

/// The manifest block of a scenario file.
fn manifest_of(scenario: &str) -> String {
    let file = podsim::scenario::ScenarioFile::parse(scenario).expect("own scenario parses");
    file.scenario.manifest
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..=rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len() as u64) as usize;
        match rng.below(9) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => lines[i] = lines[i].replace(|c: char| c.is_ascii_digit(), "9"),
            3 => lines[i] = format!("{}99999999999999999999", lines[i]),
            4 => lines[i] = format!("  {}", lines[i]),
            5 => lines[i] = lines[i].trim_start().to_string(),
            6 => lines[i].push_str(["[", "{", ": :", "\"", "'", "&a", "*a", "- -", "\t"][rng.below(9) as usize]),
            7 => lines[i] = lines[i].replace("Always", "Never").replace("Never", "OnFailure"),
            _ => lines.insert(
                i,
                ["    restartPolicy: Always", "  replicas: -3", "    command: []", "---", "kind: List"]
                    [rng.below(5) as usize]
                    .to_string(),
            ),
        }
    }
    lines.join("\n")
}

#[test]
fn mutated_manifests_never_panic() {
    let mut rng = Rng::new(20261128);
    let bases: Vec<String> = BASE.iter().map(|s| manifest_of(s)).collect();
    let mut answered = 0;
    for round in 0..300 {
        let base = &bases[round % bases.len()];
        let manifest = mutate(&mut rng, base);
        let minor = 27 + rng.below(8) as u32;
        let settings =
            Settings { version: KubeVersion::new(minor), until: 120_000, seed: round as u64, ..Settings::default() };
        let scenario = Scenario { manifest, settings, actions: Vec::new() };
        match podsim::simulate(&scenario) {
            Ok(trace) => {
                // Every trace answers: objects, a rejection, or a diagnostic.
                assert!(
                    trace.objects().iter().any(|o| o["kind"] != "Node")
                        || !trace.rejected.is_empty()
                        || !trace.diagnostics.is_empty(),
                    "round {round}: an empty answer for\n{}",
                    scenario.manifest
                );
                answered += 1;
            }
            Err(e) => assert!(e.line >= 1 && e.column >= 1, "round {round}: syntax error without a position: {e}"),
        }
    }
    assert!(answered > 50, "too few mutations were valid YAML ({answered}): the test lost its teeth");
}

#[test]
fn absurd_sizes_hit_budgets_not_memory() {
    let manifest = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: huge
spec:
  replicas: 100000000
  selector:
    matchLabels: {app: huge}
  template:
    metadata:
      labels: {app: huge}
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: [\"sh\", \"-c\", \"exit 1\"]
";
    let settings = Settings { until: 120_000, ..Settings::default() };
    let trace =
        podsim::simulate(&Scenario { manifest: manifest.into(), settings, actions: Vec::new() }).expect("valid yaml");
    assert!(
        trace.diagnostics.iter().any(|d| d.message.contains("budget")),
        "no budget diagnostic: {:?}",
        trace.diagnostics
    );
}
