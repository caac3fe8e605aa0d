//! Timed actions as users type them: a small parser for the kubectl commands (and
//! `node reboot`) that change the cluster during a run.

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    DeletePod { name: String, grace: Option<i64> },
    Scale { kind: String, name: String, replicas: i64 },
    SetImage { kind: String, name: String, images: Vec<(String, String)> },
    RolloutRestart { name: String },
    NodeReboot,
}

/// `deploy`, `deployments`, `deployment.apps` → `deployment`; `po`, `pods` → `pod`.
fn canonical_kind(k: &str) -> String {
    let k = k.to_ascii_lowercase();
    let k = k.split('.').next().unwrap_or("");
    match k {
        "po" | "pod" | "pods" => "pod",
        "deploy" | "deployment" | "deployments" => "deployment",
        "job" | "jobs" => "job",
        "rs" | "replicaset" | "replicasets" => "replicaset",
        other => other,
    }
    .to_string()
}

/// Splits `KIND/NAME` or `KIND NAME` from the positional words.
fn kind_and_name(words: &[String]) -> Result<(String, String, usize), String> {
    match words {
        [first, ..] if first.contains('/') => {
            let (k, n) = first.split_once('/').unwrap_or_default();
            Ok((canonical_kind(k), n.to_string(), 1))
        }
        [kind, name, ..] => Ok((canonical_kind(kind), name.clone(), 2)),
        _ => Err("expected a resource and a name".into()),
    }
}

fn flag_value(args: &[String], name: &str) -> Result<Option<String>, String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix(&format!("{name}=")) {
            return Ok(Some(v.to_string()));
        }
        if a == name {
            return it.next().cloned().map(Some).ok_or_else(|| format!("flag needs an argument: {name}"));
        }
    }
    Ok(None)
}

pub fn parse(text: &str) -> Result<Command, String> {
    let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    let words: Vec<String> = match words.first().map(String::as_str) {
        Some("kubectl") => words[1..].to_vec(),
        _ => words,
    };
    let (flags, positional): (Vec<String>, Vec<String>) = words.iter().cloned().partition(|w| w.starts_with('-'));
    let flag_args: Vec<String> = words.iter().skip_while(|w| !w.starts_with('-')).cloned().collect();
    let _ = flags;
    match positional.first().map(String::as_str) {
        Some("node") if positional.get(1).map(String::as_str) == Some("reboot") => Ok(Command::NodeReboot),
        Some("delete") => {
            let (kind, name, _) = kind_and_name(&positional[1..])?;
            if kind != "pod" {
                return Err(format!("delete {kind} is not simulated yet; delete pod is"));
            }
            let force = flag_args.iter().any(|f| f == "--force");
            let mut grace = match flag_value(&flag_args, "--grace-period")? {
                Some(v) => Some(v.parse::<i64>().map_err(|_| format!("invalid argument {v:?} for --grace-period"))?),
                None => None,
            };
            if flag_args.iter().any(|f| f == "--now") {
                grace = Some(1);
            }
            // kubectl: a zero grace period without --force means "as soon as possible" (1 s);
            // a negative one means the pod's own period.
            grace = match grace {
                Some(0) if !force => Some(1),
                Some(g) if g < 0 => None,
                g => g,
            };
            Ok(Command::DeletePod { name, grace })
        }
        Some("scale") => {
            let (kind, name, _) = kind_and_name(&positional[1..])?;
            let replicas = flag_value(&flag_args, "--replicas")?.ok_or("scale needs --replicas")?;
            let replicas =
                replicas.parse::<i64>().map_err(|_| format!("invalid argument {replicas:?} for --replicas"))?;
            if !(0..=100_000).contains(&replicas) {
                return Err(format!("--replicas={replicas} is out of range"));
            }
            Ok(Command::Scale { kind, name, replicas })
        }
        Some("set") if positional.get(1).map(String::as_str) == Some("image") => {
            let (kind, name, used) = kind_and_name(&positional[2..])?;
            let images: Vec<(String, String)> = positional[2 + used..]
                .iter()
                .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
                .collect();
            if images.is_empty() {
                return Err("set image needs CONTAINER=IMAGE".into());
            }
            Ok(Command::SetImage { kind, name, images })
        }
        Some("rollout") if positional.get(1).map(String::as_str) == Some("restart") => {
            let (kind, name, _) = kind_and_name(&positional[2..])?;
            if kind != "deployment" {
                return Err(format!("rollout restart {kind} is not simulated yet"));
            }
            Ok(Command::RolloutRestart { name })
        }
        _ => Err(format!(
            "unsupported action {text:?}: use delete pod, scale, set image, rollout restart or node reboot"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_contract_actions() {
        assert_eq!(
            parse("kubectl delete pod web --grace-period=5"),
            Ok(Command::DeletePod { name: "web".into(), grace: Some(5) })
        );
        assert_eq!(parse("delete pod/web"), Ok(Command::DeletePod { name: "web".into(), grace: None }));
        assert_eq!(
            parse("kubectl delete pod web --grace-period=0"),
            Ok(Command::DeletePod { name: "web".into(), grace: Some(1) })
        );
        assert_eq!(
            parse("kubectl scale deployment/web --replicas=3"),
            Ok(Command::Scale { kind: "deployment".into(), name: "web".into(), replicas: 3 })
        );
        assert_eq!(
            parse("kubectl set image pod/p regular-1=busybox:1.37"),
            Ok(Command::SetImage {
                kind: "pod".into(),
                name: "p".into(),
                images: vec![("regular-1".into(), "busybox:1.37".into())]
            })
        );
        assert_eq!(parse("kubectl rollout restart deploy/web"), Ok(Command::RolloutRestart { name: "web".into() }));
        assert_eq!(parse("node reboot"), Ok(Command::NodeReboot));
        assert!(parse("kubectl frobnicate").is_err());
        assert!(parse("kubectl scale deploy web --replicas=lots").is_err());
    }
}
