//! Command-line parsing with spf13/pflag's rules (`-o wide`, `-owide`, `-o=wide`,
//! `--output wide`, bundled `-Aw`, `--` ends flags) and its error texts, which kubectl prints
//! as `error: <pflag error>` plus `See 'kubectl <cmd> --help' for usage.`.

use std::collections::HashMap;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Takes {
    Bool,
    Value,
    Int,
}

pub(crate) struct Flag {
    pub(crate) long: &'static str,
    pub(crate) short: Option<char>,
    pub(crate) takes: Takes,
}

pub(crate) const fn flag(long: &'static str, short: Option<char>, takes: Takes) -> Flag {
    Flag { long, short, takes }
}

/// kubectl's global flags; only `--namespace` means anything to a simulated cluster.
pub(crate) const GLOBAL: &[Flag] = &[
    flag("namespace", Some('n'), Takes::Value),
    flag("kubeconfig", None, Takes::Value),
    flag("context", None, Takes::Value),
    flag("cluster", None, Takes::Value),
    flag("user", None, Takes::Value),
    flag("request-timeout", None, Takes::Value),
    flag("v", Some('v'), Takes::Value),
    flag("insecure-skip-tls-verify", None, Takes::Bool),
    flag("match-server-version", None, Takes::Bool),
];

#[derive(Default)]
pub(crate) struct Parsed {
    pub(crate) positional: Vec<String>,
    values: HashMap<&'static str, Vec<String>>,
}

impl Parsed {
    pub(crate) fn bool(&self, long: &str) -> bool {
        self.values.get(long).and_then(|v| v.last()).is_some_and(|v| v == "true")
    }

    pub(crate) fn str(&self, long: &str) -> Option<&str> {
        self.values.get(long).and_then(|v| v.last()).map(String::as_str)
    }

    pub(crate) fn int(&self, long: &str) -> Option<i64> {
        self.str(long).and_then(|v| v.parse().ok())
    }

    /// A string-slice flag: repeated and comma-separated values together.
    pub(crate) fn list(&self, long: &str) -> Vec<String> {
        self.values
            .get(long)
            .map(|v| v.iter().flat_map(|x| x.split(',').map(String::from)).collect())
            .unwrap_or_default()
    }
}

fn find<'f>(flags: &'f [&'f Flag], pred: impl Fn(&Flag) -> bool) -> Option<&'f Flag> {
    flags.iter().copied().find(|f| pred(f))
}

fn set(p: &mut Parsed, f: &Flag, value: String) -> Result<(), String> {
    let name = match f.short {
        Some(s) => format!("-{s}, --{}", f.long),
        None => format!("--{}", f.long),
    };
    match f.takes {
        Takes::Bool if !matches!(value.as_str(), "true" | "false" | "1" | "0" | "t" | "f" | "TRUE" | "FALSE") => {
            return Err(format!(
                "invalid argument \"{value}\" for \"{name}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"
            ));
        }
        Takes::Int if value.parse::<i64>().is_err() => {
            return Err(format!(
                "invalid argument \"{value}\" for \"{name}\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax"
            ));
        }
        _ => {}
    }
    let value = match value.as_str() {
        "1" | "t" | "TRUE" if f.takes == Takes::Bool => "true".to_string(),
        "0" | "f" | "FALSE" if f.takes == Takes::Bool => "false".to_string(),
        _ => value,
    };
    p.values.entry(f.long).or_default().push(value);
    Ok(())
}

/// Parses `args` against the command's flags and the global ones.
pub(crate) fn parse(args: &[String], own: &[Flag]) -> Result<Parsed, String> {
    let flags: Vec<&Flag> = own.iter().chain(GLOBAL.iter()).collect();
    let mut p = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.positional.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let f = find(&flags, |f| f.long == name).ok_or_else(|| format!("unknown flag: --{name}"))?;
            let value = match (inline, f.takes) {
                (Some(v), _) => v,
                (None, Takes::Bool) => "true".to_string(),
                (None, _) => {
                    let v = args.get(i).ok_or_else(|| format!("flag needs an argument: --{name}"))?;
                    i += 1;
                    v.clone()
                }
            };
            set(&mut p, f, value)?;
        } else if let Some(shorts) = a.strip_prefix('-').filter(|s| !s.is_empty()) {
            let chars: Vec<char> = shorts.chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                let f = find(&flags, |f| f.short == Some(c))
                    .ok_or_else(|| format!("unknown shorthand flag: '{c}' in -{shorts}"))?;
                k += 1;
                if f.takes == Takes::Bool {
                    if chars.get(k) == Some(&'=') {
                        let v: String = chars[k + 1..].iter().collect();
                        set(&mut p, f, v)?;
                        break;
                    }
                    set(&mut p, f, "true".to_string())?;
                    continue;
                }
                let rest: String = chars[k..].iter().collect();
                let value = if let Some(v) = rest.strip_prefix('=') {
                    v.to_string()
                } else if !rest.is_empty() {
                    rest
                } else {
                    let v = args.get(i).ok_or_else(|| format!("flag needs an argument: '{c}' in -{shorts}"))?;
                    i += 1;
                    v.clone()
                };
                set(&mut p, f, value)?;
                break;
            }
        } else {
            p.positional.push(a.clone());
        }
    }
    Ok(p)
}

/// The command word: the first argument that is neither a global flag nor its value.
pub(crate) fn split_command(args: &[String]) -> Option<(usize, &str)> {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            return None;
        }
        if !a.starts_with('-') || a == "-" {
            return Some((i, a));
        }
        let takes_value = |f: &Flag| f.takes != Takes::Bool;
        let separate_value = if let Some(long) = a.strip_prefix("--") {
            !long.contains('=') && GLOBAL.iter().any(|f| f.long == long && takes_value(f))
        } else {
            let shorts = &a[1..];
            shorts.chars().count() == 1 && GLOBAL.iter().any(|f| f.short == shorts.chars().next() && takes_value(f))
        };
        i += if separate_value { 2 } else { 1 };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    const GET: &[Flag] = &[
        flag("output", Some('o'), Takes::Value),
        flag("watch", Some('w'), Takes::Bool),
        flag("all-namespaces", Some('A'), Takes::Bool),
        flag("tail", None, Takes::Int),
    ];

    #[test]
    fn pflag_forms() {
        for form in ["-o wide", "-owide", "-o=wide", "--output wide", "--output=wide"] {
            let p = parse(&args(&format!("pods {form}")), GET).expect(form);
            assert_eq!(p.str("output"), Some("wide"), "{form}");
            assert_eq!(p.positional, vec!["pods"]);
        }
        let p = parse(&args("-Aw pods -n kube-system"), GET).expect("bundled");
        assert!(p.bool("all-namespaces") && p.bool("watch"));
        assert_eq!(p.str("namespace"), Some("kube-system"));
        let p = parse(&args("--watch=false pods -- -x"), GET).expect("dashdash");
        assert!(!p.bool("watch"));
        assert_eq!(p.positional, vec!["pods", "-x"]);
    }

    #[test]
    fn pflag_errors() {
        let err = |s: &str| parse(&args(s), GET).err().unwrap_or_default();
        assert_eq!(err("pods --foo"), "unknown flag: --foo");
        assert_eq!(err("pods -x"), "unknown shorthand flag: 'x' in -x");
        assert_eq!(err("pods -o"), "flag needs an argument: 'o' in -o");
        assert_eq!(err("pods --output"), "flag needs an argument: --output");
        assert_eq!(
            err("pods --tail=abc"),
            "invalid argument \"abc\" for \"--tail\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
    }

    #[test]
    fn command_after_global_flags() {
        assert_eq!(split_command(&args("-n foo get pods")), Some((2, "get")));
        assert_eq!(split_command(&args("--namespace=foo logs x")), Some((1, "logs")));
        assert_eq!(split_command(&args("--context c describe pod")), Some((2, "describe")));
        assert_eq!(split_command(&args("-v")), None);
    }
}
