//! Validation of the workload kinds: Job (`pkg/apis/batch/validation/validation.go`) and
//! Deployment (`pkg/apis/apps/validation/validation.go`), on top of the pod template rules.

use serde_json::Value;

use super::field::{
    duplicate, forbidden, go_quote, invalid, nonnegative, not_supported, required, too_many, Bad, FieldError,
};
use super::names;
use super::validate::{int, labels, list, object_meta, pod_template, s, string_map, Opts};

/// `metav1.LabelSelectorAsSelector(sel).Matches(labels)`; `None` when the selector is invalid.
pub(super) fn selector_matches(sel: Option<&Value>, labels: &Value) -> Option<bool> {
    let Some(sel) = sel else { return Some(false) };
    let get = |k: &str| labels.get(k).and_then(Value::as_str);
    for (k, v) in string_map(sel.get("matchLabels")).unwrap_or_default() {
        if get(&k) != Some(v.as_str()) {
            return Some(false);
        }
    }
    for e in list(sel, "matchExpressions") {
        let key = s(e, "key");
        let values: Vec<&str> = list(e, "values").iter().filter_map(Value::as_str).collect();
        let ok = match s(e, "operator") {
            "In" if !values.is_empty() => get(key).is_some_and(|v| values.contains(&v)),
            "NotIn" if !values.is_empty() => get(key).is_none_or(|v| !values.contains(&v)),
            "Exists" if values.is_empty() => get(key).is_some(),
            "DoesNotExist" if values.is_empty() => get(key).is_none(),
            _ => return None,
        };
        if !ok {
            return Some(false);
        }
    }
    Some(true)
}

fn is_empty_selector(sel: &Value) -> bool {
    sel.get("matchLabels").and_then(Value::as_object).is_none_or(|m| m.is_empty())
        && list(sel, "matchExpressions").is_empty()
}

/// metav1 validation `ValidateLabelSelector`.
fn label_selector(sel: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, e) in list(sel, "matchExpressions").iter().enumerate() {
        let at = format!("{path}.matchExpressions[{i}]");
        let n = list(e, "values").len();
        match s(e, "operator") {
            "In" | "NotIn" => {
                if n == 0 {
                    errs.push(required(
                        &format!("{at}.values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if n > 0 {
                    errs.push(forbidden(
                        &format!("{at}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            op => errs.push(invalid(&format!("{at}.operator"), Bad::Str(op.into()), "not a valid selector operator")),
        }
        for msg in names::qualified_name(s(e, "key")) {
            errs.push(invalid(&format!("{at}.key"), Bad::Str(s(e, "key").into()), &msg));
        }
    }
    errs.extend(labels(sel.get("matchLabels"), &format!("{path}.matchLabels")));
    errs
}

fn labels_value(template: &Value) -> Bad {
    Bad::Labels(string_map(template.pointer("/metadata/labels")))
}

/// batch validation `ValidateJob`, on a Job whose selector and template labels were generated
/// (`generateSelector`) with `uid`.
pub(super) fn job(job: &Value, uid: &str, opts: Opts) -> Vec<FieldError> {
    let mut errs = object_meta(job.get("metadata").unwrap_or(&Value::Null), "metadata");
    let spec = job.get("spec").cloned().unwrap_or(Value::Null);
    let template = spec.get("template").cloned().unwrap_or(Value::Null);
    let tlabels = template.pointer("/metadata/labels").cloned().unwrap_or(Value::Null);
    let name = job.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");

    // validateGeneratedSelector
    if spec.get("manualSelector") != Some(&Value::Bool(true)) && spec.get("selector").is_some() {
        let want = |key: &str, expected: &str, errs: &mut Vec<FieldError>| {
            let path = format!("spec.template.metadata.labels[{key}]");
            match tlabels.get(key).and_then(Value::as_str) {
                None => errs.push(required(&path, &format!("must be '{expected}'"))),
                Some(v) if v != expected => {
                    errs.push(invalid(&path, labels_value(&template), &format!("must be '{expected}'")))
                }
                Some(_) => {}
            }
        };
        want("controller-uid", uid, &mut errs);
        want("job-name", name, &mut errs);
        want("batch.kubernetes.io/controller-uid", uid, &mut errs);
        want("batch.kubernetes.io/job-name", name, &mut errs);
        let expected = serde_json::json!({
            "batch.kubernetes.io/controller-uid": uid,
            "batch.kubernetes.io/job-name": name,
            "controller-uid": uid,
            "job-name": name,
        });
        if selector_matches(spec.get("selector"), &expected) == Some(false) {
            let sel = spec.get("selector").cloned().unwrap_or(Value::Null);
            errs.push(invalid("spec.selector", Bad::Selector(sel), "`selector` not auto-generated"));
        }
    }

    // validateJobSpec
    for key in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
    ] {
        if let Some(e) = int(&spec, key).and_then(|v| nonnegative(&format!("spec.{key}"), v)) {
            errs.push(e);
        }
    }
    if let Some(mfi) = int(&spec, "maxFailedIndexes") {
        errs.extend(nonnegative("spec.maxFailedIndexes", mfi));
        if spec.get("backoffLimitPerIndex").is_none() {
            errs.push(required("spec.backoffLimitPerIndex", "when maxFailedIndexes is specified"));
        }
    }
    let mode = s(&spec, "completionMode");
    if mode != "NonIndexed" && mode != "Indexed" {
        errs.push(not_supported("spec.completionMode", Bad::Str(mode.into()), &["NonIndexed", "Indexed"]));
    }
    if mode == "Indexed" {
        if spec.get("completions").is_none() {
            errs.push(required("spec.completions", "when completion mode is Indexed"));
        }
        if let Some(p) = int(&spec, "parallelism").filter(|p| *p > 100_000) {
            errs.push(invalid(
                "spec.parallelism",
                Bad::Int(p),
                "must be less than or equal to 100000 when completion mode is Indexed",
            ));
        }
        if let (Some(c), Some(m)) = (int(&spec, "completions"), int(&spec, "maxFailedIndexes")) {
            if m > c {
                errs.push(invalid("spec.maxFailedIndexes", Bad::Int(m), "must be less than or equal to completions"));
            }
        }
    } else {
        for key in ["backoffLimitPerIndex", "maxFailedIndexes"] {
            if let Some(v) = int(&spec, key) {
                errs.push(invalid(&format!("spec.{key}"), Bad::Int(v), "requires indexed completion mode"));
            }
        }
    }
    if let Some(policy) = spec.get("podFailurePolicy").filter(|p| !p.is_null()) {
        errs.extend(pod_failure_policy(policy, &spec, &template, opts));
    }
    if let Some(sp) = spec.get("successPolicy") {
        if mode != "Indexed" {
            let go = format!(
                "batch.SuccessPolicy{{Rules:{}}}",
                if list(sp, "rules").is_empty() {
                    "[]batch.SuccessPolicyRule(nil)"
                } else {
                    "[]batch.SuccessPolicyRule{...}"
                }
            );
            errs.push(invalid(
                "spec.successPolicy",
                Bad::Raw { go, json: super::field::go_json(sp) },
                "requires indexed completion mode",
            ));
        }
    }
    let failure_policy = spec.get("podFailurePolicy").is_some_and(|p| !p.is_null());
    if let Some(p) = spec.get("podReplacementPolicy").and_then(Value::as_str) {
        if failure_policy && p != "Failed" {
            errs.push(not_supported("spec.podReplacementPolicy", Bad::Str(p.into()), &["Failed"]));
        } else if !failure_policy && p != "Failed" && p != "TerminatingOrFailed" {
            errs.push(not_supported(
                "spec.podReplacementPolicy",
                Bad::Str(p.into()),
                &["Failed", "TerminatingOrFailed"],
            ));
        }
    }
    errs.extend(pod_template(&template, "spec.template", opts));
    let restart = template.pointer("/spec/restartPolicy").and_then(Value::as_str).unwrap_or("");
    match restart {
        "Always" | "" => {
            errs.push(required("spec.template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\""));
        }
        "OnFailure" | "Never" => {
            if failure_policy && restart != "Never" {
                errs.push(invalid(
                    "spec.template.spec.restartPolicy",
                    Bad::Str(restart.into()),
                    "only \"Never\" is supported when podFailurePolicy is specified",
                ));
            }
        }
        other => errs.push(not_supported(
            "spec.template.spec.restartPolicy",
            Bad::Str(other.into()),
            &["OnFailure", "Never"],
        )),
    }

    // ValidateJobSpec
    match spec.get("selector") {
        None => errs.push(required("spec.selector", "")),
        Some(sel) => errs.extend(label_selector(sel, "spec.selector")),
    }
    if spec.get("selector").is_some() && selector_matches(spec.get("selector"), &tlabels) == Some(false) {
        errs.push(invalid(
            "spec.template.metadata.labels",
            labels_value(&template),
            "`selector` does not match template `labels`",
        ));
    }

    // ValidateJob: an Indexed Job's last pod hostname must be a DNS label.
    if let (true, Some(c)) = (mode == "Indexed", int(&spec, "completions").filter(|c| *c > 0)) {
        let host = format!("{name}-{}", c - 1);
        if !names::dns1123_label(&host).is_empty() {
            errs.push(invalid(
                "metadata.name",
                Bad::Str(name.into()),
                &format!("will not able to create pod with invalid DNS label: {host}"),
            ));
        }
    }
    errs
}

/// `fmt.Sprintf("%q", []string{...})`: `["A" "B"]`.
fn go_quoted_list(values: &[&str]) -> String {
    format!("[{}]", values.iter().map(|v| go_quote(v)).collect::<Vec<_>>().join(" "))
}

/// A `[]int32` as a bad value: `[]int32{3, 1}` before 1.34, `[3,1]` since; absent is nil.
fn int32s(values: Option<&[i64]>) -> Bad {
    match values {
        None => Bad::Raw { go: "[]int32(nil)".into(), json: "null".into() },
        Some(v) => {
            let items: Vec<String> = v.iter().map(i64::to_string).collect();
            Bad::Raw { go: format!("[]int32{{{}}}", items.join(", ")), json: format!("[{}]", items.join(",")) }
        }
    }
}

/// batch validation `validatePodFailurePolicy` (+ `validatePodFailurePolicyRule`,
/// `…RuleOnExitCodes`, `…RuleOnPodConditions`).
fn pod_failure_policy(policy: &Value, spec: &Value, template: &Value, opts: Opts) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rules = list(policy, "rules");
    if rules.len() > 20 {
        // maxPodFailurePolicyRules
        errs.push(too_many("spec.podFailurePolicy.rules", rules.len(), 20));
    }
    let names: Vec<&str> = ["containers", "initContainers"]
        .iter()
        .flat_map(|k| template.get("spec").map(|t| list(t, k)).unwrap_or(&[]))
        .map(|c| s(c, "name"))
        .collect();
    // FailIndex came with JobBackoffLimitPerIndex in 1.28; 1.27 does not know the action.
    let actions: &[&str] = if opts.version.at_least(28) {
        &["Count", "FailIndex", "FailJob", "Ignore"]
    } else {
        &["Count", "FailJob", "Ignore"]
    };
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("spec.podFailurePolicy.rules[{i}]");
        let action = s(rule, "action");
        let action_path = format!("{at}.action");
        if action.is_empty() {
            errs.push(required(&action_path, &format!("valid values: {}", go_quoted_list(actions))));
        } else if action == "FailIndex" && opts.version.at_least(28) {
            if spec.get("backoffLimitPerIndex").is_none_or(Value::is_null) {
                errs.push(invalid(
                    &action_path,
                    Bad::Str(action.into()),
                    "requires the backoffLimitPerIndex to be set",
                ));
            }
        } else if !actions.contains(&action) {
            errs.push(not_supported(&action_path, Bad::Str(action.into()), actions));
        }
        let on_exit = rule.get("onExitCodes").filter(|e| !e.is_null());
        let on_conditions = list(rule, "onPodConditions");
        if let Some(e) = on_exit {
            errs.extend(on_exit_codes(e, &format!("{at}.onExitCodes"), &names));
        }
        if !on_conditions.is_empty() {
            errs.extend(on_pod_conditions(on_conditions, &format!("{at}.onPodConditions")));
        }
        match (on_exit.is_some(), on_conditions.is_empty()) {
            (true, false) => {
                errs.push(invalid(&at, Bad::None, "specifying both OnExitCodes and OnPodConditions is not supported"))
            }
            (false, true) => {
                errs.push(invalid(&at, Bad::None, "specifying one of OnExitCodes and OnPodConditions is required"))
            }
            _ => {}
        }
    }
    errs
}

/// batch validation `validatePodFailurePolicyRuleOnExitCodes`.
fn on_exit_codes(e: &Value, path: &str, names: &[&str]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let operator = s(e, "operator");
    let operators = ["In", "NotIn"];
    if operator.is_empty() {
        errs.push(required(&format!("{path}.operator"), &format!("valid values: {}", go_quoted_list(&operators))));
    } else if !operators.contains(&operator) {
        errs.push(not_supported(&format!("{path}.operator"), Bad::Str(operator.into()), &operators));
    }
    if let Some(name) = e.get("containerName").and_then(Value::as_str) {
        if !names.contains(&name) {
            errs.push(invalid(
                &format!("{path}.containerName"),
                Bad::Str(name.into()),
                "must be one of the container or initContainer names in the pod template",
            ));
        }
    }
    let values_path = format!("{path}.values");
    let raw = e.get("values").and_then(Value::as_array);
    let values: Vec<i64> = raw.into_iter().flatten().filter_map(Value::as_i64).collect();
    let bad = int32s(raw.map(|_| values.as_slice()));
    if values.is_empty() {
        errs.push(invalid(&values_path, bad.clone(), "at least one value is required"));
    } else if values.len() > 255 {
        // maxPodFailurePolicyOnExitCodesValues
        errs.push(too_many(&values_path, values.len(), 255));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (j, &v) in values.iter().enumerate() {
        let at = format!("{values_path}[{j}]");
        if operator == "In" && v == 0 {
            errs.push(invalid(&at, Bad::Int(0), "must not be 0 for the In operator"));
        }
        if !seen.insert(v) {
            errs.push(duplicate(&at, Bad::Int(v)));
        }
    }
    if values.windows(2).any(|w| w[0] > w[1]) {
        errs.push(invalid(&values_path, bad, "must be ordered"));
    }
    errs
}

/// batch validation `validatePodFailurePolicyRuleOnPodConditions`.
fn on_pod_conditions(patterns: &[Value], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if patterns.len() > 20 {
        // maxPodFailurePolicyOnPodConditionsPatterns
        errs.push(too_many(path, patterns.len(), 20));
    }
    let statuses = ["False", "True", "Unknown"];
    for (j, p) in patterns.iter().enumerate() {
        let at = format!("{path}[{j}]");
        let ty = s(p, "type");
        // apivalidation.ValidateQualifiedName
        for msg in names::qualified_name(ty) {
            errs.push(invalid(&format!("{at}.type"), Bad::Str(ty.into()), &msg));
        }
        let status = s(p, "status");
        if status.is_empty() {
            errs.push(required(&format!("{at}.status"), &format!("valid values: {}", go_quoted_list(&statuses))));
        } else if !statuses.contains(&status) {
            errs.push(not_supported(&format!("{at}.status"), Bad::Str(status.into()), &statuses));
        }
    }
    errs
}

/// apps validation `ValidateDeployment`.
pub(super) fn deployment(d: &Value, opts: Opts) -> Vec<FieldError> {
    let mut errs = object_meta(d.get("metadata").unwrap_or(&Value::Null), "metadata");
    let spec = d.get("spec").cloned().unwrap_or(Value::Null);
    let replicas = int(&spec, "replicas").unwrap_or(0);
    errs.extend(nonnegative("spec.replicas", replicas));
    let selector = spec.get("selector");
    match selector {
        None => errs.push(required("spec.selector", "")),
        Some(sel) => {
            errs.extend(label_selector(sel, "spec.selector"));
            if is_empty_selector(sel) {
                errs.push(invalid(
                    "spec.selector",
                    Bad::Selector(sel.clone()),
                    "empty selector is invalid for deployment",
                ));
            }
        }
    }
    let template = spec.get("template").cloned().unwrap_or(Value::Null);
    let tlabels = template.pointer("/metadata/labels").cloned().unwrap_or(Value::Null);
    match selector_matches(selector, &tlabels) {
        None => errs.push(invalid(
            "spec.selector",
            Bad::Selector(selector.cloned().unwrap_or(Value::Null)),
            "invalid label selector",
        )),
        Some(matches) => {
            // ValidatePodTemplateSpecForReplicaSet
            let everything = selector.is_some_and(is_empty_selector);
            if !everything && !matches {
                errs.push(invalid(
                    "spec.template.metadata.labels",
                    labels_value(&template),
                    "`selector` does not match template `labels`",
                ));
            }
            errs.extend(pod_template(&template, "spec.template", opts));
            let restart = template.pointer("/spec/restartPolicy").and_then(Value::as_str).unwrap_or("");
            if restart != "Always" {
                errs.push(not_supported("spec.template.spec.restartPolicy", Bad::Str(restart.into()), &["Always"]));
            }
            if template.pointer("/spec/activeDeadlineSeconds").is_some() {
                errs.push(forbidden(
                    "spec.template.spec.activeDeadlineSeconds",
                    "activeDeadlineSeconds in ReplicaSet is not Supported",
                ));
            }
        }
    }
    errs.extend(strategy(spec.get("strategy").unwrap_or(&Value::Null)));
    errs.extend(nonnegative("spec.minReadySeconds", int(&spec, "minReadySeconds").unwrap_or(0)));
    if let Some(r) = int(&spec, "revisionHistoryLimit") {
        errs.extend(nonnegative("spec.revisionHistoryLimit", r));
    }
    if let Some(p) = int(&spec, "progressDeadlineSeconds") {
        errs.extend(nonnegative("spec.progressDeadlineSeconds", p));
        if p <= int(&spec, "minReadySeconds").unwrap_or(0) {
            errs.push(invalid("spec.progressDeadlineSeconds", Bad::Int(p), "must be greater than minReadySeconds"));
        }
    }
    errs
}

/// apps validation `ValidateDeploymentStrategy` + `ValidateRollingUpdateDeployment`.
fn strategy(st: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match s(st, "type") {
        "Recreate" => {
            if st.get("rollingUpdate").is_some() {
                errs.push(forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => {
            let ru = st.get("rollingUpdate").cloned().unwrap_or(Value::Null);
            let unavailable = ru.get("maxUnavailable").cloned().unwrap_or(Value::from(0));
            let surge = ru.get("maxSurge").cloned().unwrap_or(Value::from(0));
            errs.extend(positive_int_or_percent(&unavailable, "spec.strategy.rollingUpdate.maxUnavailable"));
            errs.extend(positive_int_or_percent(&surge, "spec.strategy.rollingUpdate.maxSurge"));
            if int_or_percent_value(&unavailable) == 0 && int_or_percent_value(&surge) == 0 {
                errs.push(invalid(
                    "spec.strategy.rollingUpdate.maxUnavailable",
                    Bad::IntOrString(unavailable.clone()),
                    "may not be 0 when `maxSurge` is 0",
                ));
            }
            // IsNotMoreThan100Percent
            if percent_value(&unavailable).is_some_and(|p| p > 100) {
                errs.push(invalid(
                    "spec.strategy.rollingUpdate.maxUnavailable",
                    Bad::IntOrString(unavailable.clone()),
                    "must not be greater than 100%",
                ));
            }
        }
        _ => errs.push(not_supported("spec.strategy", Bad::Strategy(st.clone()), &["Recreate", "RollingUpdate"])),
    }
    errs
}

fn percent_value(v: &Value) -> Option<i64> {
    v.as_str()?.strip_suffix('%')?.parse().ok()
}

/// `getIntOrPercentValue`: the number, or the percentage as a number (0 if it does not parse).
fn int_or_percent_value(v: &Value) -> i64 {
    match v {
        Value::String(_) => percent_value(v).unwrap_or(0),
        other => other.as_i64().unwrap_or(0),
    }
}

/// apps validation `ValidatePositiveIntOrPercent`.
fn positive_int_or_percent(v: &Value, path: &str) -> Vec<FieldError> {
    match v {
        Value::String(text) => {
            names::percent(text).into_iter().map(|m| invalid(path, Bad::IntOrString(v.clone()), &m)).collect()
        }
        other => nonnegative(path, other.as_i64().unwrap_or(0)).into_iter().collect(),
    }
}
