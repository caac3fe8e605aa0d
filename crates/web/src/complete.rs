//! Tab completion in the kubectl console: the word under the cursor completed from what
//! fits there — a command, a resource type, the name of an object that exists at the
//! playhead, a container of the pod named, a flag. Pure: the names come from the trace.

use podsim::Trace;
use serde_json::Value;

/// The console's commands, as `kubectl` spells them.
const COMMANDS: [&str; 7] = ["get", "describe", "logs", "delete", "scale", "set", "rollout"];
/// Resource types `get` and `describe` take, with the kind their names come from.
const RESOURCES: [(&str, &str); 9] = [
    ("pods", "Pod"),
    ("pod", "Pod"),
    ("jobs", "Job"),
    ("job", "Job"),
    ("deployments", "Deployment"),
    ("deployment", "Deployment"),
    ("deploy", "Deployment"),
    ("replicasets", "ReplicaSet"),
    ("events", ""),
];

/// What Tab does to `line`: the completed line (unchanged when nothing fits) and, when
/// several words fit, all of them to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub line: String,
    pub choices: Vec<String>,
}

/// Completes the last word of `line` against the objects that exist at `t`.
pub fn complete(line: &str, trace: Option<&Trace>, t: f64) -> Completion {
    let words: Vec<&str> = line.split_whitespace().collect();
    let ends_in_space = line.is_empty() || line.ends_with(char::is_whitespace);
    let (done, partial): (&[&str], &str) = match words.split_last() {
        Some((last, rest)) if !ends_in_space => (rest, last),
        _ => (&words, ""),
    };
    // A leading `kubectl` is allowed and ignored.
    let done = match done.first() {
        Some(&"kubectl") => &done[1..],
        _ => done,
    };
    let objects = trace.map(|tr| tr.history.objects_at(t)).unwrap_or_default();
    let names = |kind: &str| -> Vec<String> {
        objects
            .iter()
            .filter(|o| o["kind"] == kind)
            .filter_map(|o| o["metadata"]["name"].as_str().map(str::to_owned))
            .collect()
    };
    let pod_named = |name: &str| objects.iter().find(|o| o["kind"] == "Pod" && o["metadata"]["name"] == name).cloned();
    let candidates: Vec<String> = match done {
        [] => COMMANDS.iter().map(|c| c.to_string()).collect(),
        [.., "-c" | "--container"] => {
            // The pod is the first non-flag word after `logs`.
            let pod = done.iter().skip(1).find(|w| !w.starts_with('-')).and_then(|p| pod_named(p));
            pod.map(|p| containers(&p)).unwrap_or_default()
        }
        ["get" | "describe", kind, ..] if done.len() == 2 => {
            let kind = RESOURCES.iter().find(|(r, _)| r == kind).map(|(_, k)| *k).unwrap_or_default();
            if kind.is_empty() {
                vec![]
            } else {
                names(kind)
            }
        }
        ["get" | "describe"] => RESOURCES.iter().map(|(r, _)| r.to_string()).collect(),
        ["logs", ..] if done.len() == 1 => names("Pod"),
        ["logs", ..] => ["-c", "-p", "--previous", "--tail"].map(String::from).to_vec(),
        ["delete"] => vec!["pod".to_owned()],
        ["delete", "pod" | "pods"] => names("Pod"),
        ["scale"] => names("Deployment").into_iter().map(|n| format!("deployment/{n}")).collect(),
        ["scale", _] => vec!["--replicas=".to_owned()],
        ["rollout"] => vec!["restart".to_owned()],
        ["rollout", "restart"] => names("Deployment").into_iter().map(|n| format!("deployment/{n}")).collect(),
        ["set"] => vec!["image".to_owned()],
        ["set", "image"] => names("Deployment").into_iter().map(|n| format!("deployment/{n}")).collect(),
        _ => vec![],
    };
    let mut choices: Vec<String> = candidates.into_iter().filter(|c| c.starts_with(partial)).collect();
    choices.sort();
    choices.dedup();
    let head = &line[..line.len() - partial.len()];
    match choices.as_slice() {
        [] => Completion { line: line.to_owned(), choices },
        [only] => {
            // A flag that takes its value after `=` gets no space.
            let space = if only.ends_with('=') { "" } else { " " };
            Completion { line: format!("{head}{only}{space}"), choices: vec![] }
        }
        many => Completion { line: format!("{head}{}", common_prefix(many)), choices },
    }
}

fn containers(pod: &Value) -> Vec<String> {
    ["initContainers", "containers"]
        .iter()
        .flat_map(|list| pod["spec"][*list].as_array().into_iter().flatten())
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect()
}

fn common_prefix(words: &[String]) -> &str {
    let first = words[0].as_str();
    let mut end = first.len();
    for w in &words[1..] {
        end = end.min(first.bytes().zip(w.bytes()).take_while(|(a, b)| a == b).count());
    }
    while !first.is_char_boundary(end) {
        end -= 1;
    }
    &first[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn trace(file: &str) -> Trace {
        let preset = presets::find(file).expect(file);
        podsim::simulate(&preset.scenario).expect("simulates")
    }

    #[test]
    fn commands_types_and_names_complete() {
        let trace = trace("native-deployment.yaml");
        let at = |line: &str| complete(line, Some(&trace), 60.0);
        assert_eq!(at("de").choices, ["delete", "describe"]);
        assert_eq!(at("de").line, "de");
        assert_eq!(at("des").line, "describe ");
        assert_eq!(at("kubectl lo").line, "kubectl logs ");
        assert_eq!(at("get depl").line, "get deploy");
        assert_eq!(at("get deploy").choices, ["deploy", "deployment", "deployments"]);
        let pods = at("logs ").choices;
        assert_eq!(pods.len(), 3, "{pods:?}");
        assert!(pods.iter().all(|p| p.starts_with("sidecar-demo-")));
        let one = at(&format!("logs {}", &pods[0][..pods[0].len() - 1]));
        assert!(one.line.starts_with("logs sidecar-demo-"), "{one:?}");
        assert_eq!(at(&format!("logs {} -c p", pods[0])).line, format!("logs {} -c proxy ", pods[0]));
        assert_eq!(at("scale deployment/").line, "scale deployment/sidecar-demo ");
        assert_eq!(at("scale deployment/sidecar-demo --r").line, "scale deployment/sidecar-demo --replicas=");
        assert_eq!(at("get nothing x").choices, Vec::<String>::new());
    }

    /// Completion only ever adds to what was typed, whatever was typed.
    #[test]
    fn completion_keeps_every_typed_character() {
        let trace = trace("native-job.yaml");
        let lines = [
            "kubectl logs pi-abc -c network-proxy --tail 3",
            "get  pods é😀 ",
            "delete pod\tx",
            "scale deployment/x --replicas=2",
        ];
        for line in lines {
            for end in (0..=line.len()).filter(|i| line.is_char_boundary(*i)) {
                let typed = &line[..end];
                for t in [0.0, 30.0, 1e9] {
                    let done = complete(typed, Some(&trace), t);
                    assert!(done.line.starts_with(typed), "{typed:?} became {:?}", done.line);
                }
            }
        }
    }

    #[test]
    fn without_a_trace_only_words_complete() {
        assert_eq!(complete("", None, 0.0).choices.len(), COMMANDS.len());
        assert_eq!(complete("get po", None, 0.0).line, "get pod");
        assert_eq!(complete("logs ", None, 0.0).choices, Vec::<String>::new());
        assert_eq!(complete("é", None, 0.0).line, "é");
    }
}
