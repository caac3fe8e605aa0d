//! The playground as a user meets it: the built app in headless Chromium. These are the
//! proof that the whole path works: YAML typed in the page, the engine in wasm, pods drawn.

use fantoccini::{Client, Locator};
use podsim_e2e::browser::{screenshot, wait_for, with_app};
use podsim_e2e::Result;

/// One pod with a native sidecar (an init container with `restartPolicy: Always`) and an app.
const SIDECAR_POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  initContainers:
  - name: log-shipper
    image: fluent/fluent-bit:3.0
    restartPolicy: Always
  containers:
  - name: main
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3600\"]
";

/// Replaces the editor's text by typing, key by key, as a person would. Newlines are typed
/// as Shift+Enter, which inserts a bare newline: Enter alone indents the next line.
async fn type_manifest(client: &Client, text: &str) -> Result {
    let editor = wait_for(client, "textarea#manifest").await?;
    editor.clear().await?;
    let newline =
        format!("{}{}{}", fantoccini::key::Key::Shift, fantoccini::key::Key::Enter, fantoccini::key::Key::Null);
    editor.send_keys(&text.replace('\n', &newline)).await?;
    Ok(())
}

/// The kind label shown for a container of a pod, once the page shows it.
async fn shown_kind(client: &Client, pod: &str, container: &str) -> Result<(String, String)> {
    let row = wait_for(client, &format!(r#"[data-pod="{pod}"] .container[data-name="{container}"]"#)).await?;
    let kind = row.attr("data-kind").await?.unwrap_or_default();
    let label = row.find(Locator::Css(".kind")).await?.text().await?;
    Ok((kind, label))
}

#[tokio::test]
async fn typed_manifest_shows_its_containers_with_their_kinds() {
    with_app(|client, _| async move {
        type_manifest(&client, SIDECAR_POD).await?;
        let sidecar = shown_kind(&client, "demo", "log-shipper").await?;
        let app = shown_kind(&client, "demo", "main").await?;
        let want = |s: &str| (s.to_owned(), s.to_owned());
        if (sidecar.clone(), app.clone()) != (want("sidecar"), want("app")) {
            return Err(format!("kinds shown: log-shipper {sidecar:?}, main {app:?}").into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn first_visit_shows_the_example_with_every_kind() {
    with_app(|client, _| async move {
        wait_for(&client, r#"[data-pod="web"] .container[data-kind="app"]"#).await?;
        let mut kinds = Vec::new();
        for row in client.find_all(Locator::Css(r#"[data-pod="web"] .container"#)).await? {
            kinds.push(row.attr("data-kind").await?.unwrap_or_default());
        }
        if kinds != ["init", "sidecar", "app"] {
            return Err(format!("the example shows kinds {kinds:?}").into());
        }
        // The README's picture: what a first visit looks like.
        screenshot(&client).await
    })
    .await;
}

#[tokio::test]
async fn typed_text_survives_a_reload() {
    with_app(|client, _| async move {
        let typed = "# my notes\nkind: Pod\n";
        type_manifest(&client, typed).await?;
        client.refresh().await?;
        let shown = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
        if shown != typed {
            return Err(format!("after a reload the editor shows {shown:?}, not {typed:?}").into());
        }
        Ok(())
    })
    .await;
}

// ---- The playground's features: presets, cluster controls, playback, Why?, kubectl, share.

use fantoccini::key::Key;
use podsim_e2e::browser::{click, screenshot_as, wait_until};

/// Picks a preset from the scenario menu; playback then starts by itself.
async fn pick_preset(client: &Client, file: &str) -> Result {
    wait_for(client, "select#preset").await?.select_by_value(file).await?;
    Ok(())
}

/// Pauses playback and puts the playhead at `secs`, as dragging the time axis does.
async fn seek(client: &Client, secs: f64) -> Result {
    let script = format!(
        r#"const play = document.querySelector('#play');
           if (play.getAttribute('aria-pressed') === 'true') play.click();
           const range = document.querySelector('#time');
           range.value = '{secs}';
           range.dispatchEvent(new Event('input', {{bubbles: true}}));"#
    );
    client.execute(&script, vec![]).await?;
    wait_until(client, &format!("the clock at {secs}s"), &format!(
        "return document.querySelector('#clock').dataset.t === '{secs:.3}' && document.querySelector('#play').getAttribute('aria-pressed') === 'false'"
    ))
    .await
}

async fn clock(client: &Client) -> Result<f64> {
    let t = wait_for(client, "#clock").await?.attr("data-t").await?.unwrap_or_default();
    Ok(t.parse()?)
}

async fn status_of_first_pod(client: &Client) -> Result<String> {
    Ok(wait_for(client, ".pod").await?.attr("data-status").await?.unwrap_or_default())
}

#[tokio::test]
async fn a_preset_shows_its_pods_grouped_under_their_owner() {
    with_app(|client, _| async move {
        pick_preset(&client, "native-deployment.yaml").await?;
        seek(&client, 60.0).await?;
        wait_until(&client, "three pods", "return document.querySelectorAll('.pod').length === 3").await?;
        let owner = wait_for(&client, ".owner").await?.text().await?;
        if !owner.starts_with("Deployment sidecar-demo → ReplicaSet sidecar-demo-") {
            return Err(format!("owner shown: {owner:?}").into());
        }
        let proxy = wait_for(&client, r#".pod .container[data-name="proxy"]"#).await?;
        let (kind, state) = (proxy.attr("data-kind").await?, proxy.attr("data-state").await?);
        if (kind.as_deref(), state.as_deref()) != (Some("sidecar"), Some("ready")) {
            return Err(format!("proxy shown as {kind:?} {state:?}").into());
        }
        let story = wait_for(&client, ".story").await?.text().await?;
        if !story.contains("startupProbe") {
            return Err(format!("story: {story:?}").into());
        }
        screenshot_as(&client, "preset-native-deployment").await
    })
    .await;
}

#[tokio::test]
async fn the_gate_and_version_change_what_happens() {
    with_app(|client, _| async move {
        pick_preset(&client, "gate-off-trap.yaml").await?;
        seek(&client, 120.0).await?;
        let stuck = status_of_first_pod(&client).await?;
        if stuck != "Init:0/1" {
            return Err(format!("gate off on 1.28 shows {stuck:?}, not Init:0/1").into());
        }
        wait_for(&client, "select#gate").await?.select_by_value("on").await?;
        wait_until(
            &client,
            "the pod running with the gate on",
            r#"return document.querySelector('.pod')?.dataset.status === 'Running'"#,
        )
        .await?;
        if clock(&client).await? != 120.0 {
            return Err("changing the gate moved the playhead".into());
        }
        // 1.29 turns the gate on by default: the default choice now runs the sidecar.
        wait_for(&client, "select#gate").await?.select_by_value("default").await?;
        wait_until(&client, "stuck again", r#"return document.querySelector('.pod')?.dataset.status === 'Init:0/1'"#)
            .await?;
        wait_for(&client, "select#version").await?.select_by_value("29").await?;
        wait_until(
            &client,
            "running on 1.29",
            r#"return document.querySelector('.pod')?.dataset.status === 'Running'"#,
        )
        .await?;
        let note = wait_for(&client, ".gate-note").await?.text().await?;
        if note != "default on in 1.29" {
            return Err(format!("gate note: {note:?}").into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn play_step_and_scrub_move_the_clock_and_the_pod() {
    with_app(|client, _| async move {
        pick_preset(&client, "native-job.yaml").await?;
        // Playback starts by itself after picking a preset.
        wait_until(&client, "the clock to run", "return Number(document.querySelector('#clock').dataset.t) > 0.5").await?;
        seek(&client, 0.0).await?;
        wait_for(&client, "#step").await?.click().await?;
        let first = clock(&client).await?;
        wait_for(&client, "#step").await?.click().await?;
        wait_until(&client, "a second step", &format!("return Number(document.querySelector('#clock').dataset.t) > {first}")).await?;
        if first <= 0.0 {
            return Err(format!("step went to {first}").into());
        }
        seek(&client, 22.0).await?;
        wait_until(&client, "both ready", r#"return document.querySelector('.container[data-name="network-proxy"]')?.dataset.state === 'ready'"#).await?;
        seek(&client, 30.0).await?;
        wait_until(&client, "the sidecar stopping", r#"return document.querySelector('.container[data-name="network-proxy"]')?.dataset.state === 'terminating'"#).await?;
        let age = wait_for(&client, "#clock .age").await?.text().await?;
        if age != "30s" {
            return Err(format!("the clock shows {age:?} at 30 s").into());
        }
        wait_for(&client, r#".speed[data-speed="120"]"#).await?.click().await?;
        wait_for(&client, "#play").await?.click().await?;
        wait_until(&client, "fast playback", "return Number(document.querySelector('#clock').dataset.t) > 60").await?;
        screenshot_as(&client, "playback").await
    })
    .await;
}

#[tokio::test]
async fn why_shows_the_rule_behind_a_waiting_container() {
    with_app(|client, _| async move {
        pick_preset(&client, "gate-off-trap.yaml").await?;
        seek(&client, 60.0).await?;
        wait_for(&client, r#".container[data-name="app"] .lane"#).await?.click().await?;
        let rule = wait_for(&client, "#why .rule").await?;
        let (text, href) = (rule.text().await?, rule.attr("href").await?.unwrap_or_default());
        if text.is_empty() || !href.starts_with("https://kubernetes.io/docs/") {
            return Err(format!("rule {text:?} links to {href:?}").into());
        }
        // A happening explains itself too.
        wait_for(&client, ".happening").await?.click().await?;
        wait_for(&client, "#why .subject").await?;
        screenshot_as(&client, "why").await
    })
    .await;
}

#[tokio::test]
async fn the_console_prints_kubectl_at_the_playhead_with_history_and_completion() {
    with_app(|client, _| async move {
        pick_preset(&client, "native-job.yaml").await?;
        seek(&client, 30.0).await?;
        let input = wait_for(&client, "input#kubectl").await?;
        input.send_keys(&("get pods".to_owned() + &Key::Enter.to_string())).await?;
        let out = wait_for(&client, ".console .stdout").await?.text().await?;
        if !(out.starts_with("NAME") && out.contains("READY") && out.contains("pi-")) {
            return Err(format!("get pods printed {out:?}").into());
        }
        input.send_keys(&Key::Up.to_string()).await?;
        let recalled = input.prop("value").await?.unwrap_or_default();
        if recalled != "get pods" {
            return Err(format!("↑ recalled {recalled:?}").into());
        }
        // Tab completes the command, then the only pod's name, then its containers.
        input.clear().await?;
        input.send_keys(&format!("lo{}", Key::Tab)).await?;
        input.send_keys(&Key::Tab.to_string()).await?;
        let line = input.prop("value").await?.unwrap_or_default();
        if !(line.starts_with("logs pi-") && line.ends_with(' ')) {
            return Err(format!("after Tab, Tab: {line:?}").into());
        }
        input.send_keys(&format!("-c {}", Key::Tab)).await?;
        let shown = wait_for(&client, ".completions").await?.text().await?;
        if shown != "network-proxy  pi" {
            return Err(format!("container choices: {shown:?}").into());
        }
        input.send_keys(&format!("pi{}", Key::Enter)).await?;
        wait_until(
            &client,
            "pi's log",
            "return [...document.querySelectorAll('.console .command')].some(c => c.textContent.includes('-c pi'))",
        )
        .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn deleting_a_pod_from_the_console_replaces_it_from_then_on() {
    with_app(|client, _| async move {
        pick_preset(&client, "native-deployment.yaml").await?;
        seek(&client, 60.0).await?;
        wait_until(&client, "three pods", "return document.querySelectorAll('.pod').length === 3").await?;
        let victim = wait_for(&client, ".pod").await?.attr("data-pod").await?.unwrap_or_default();
        let input = wait_for(&client, "input#kubectl").await?;
        input.send_keys(&format!("delete pod {victim}{}", Key::Enter)).await?;
        let action = wait_for(&client, ".console .action").await?.text().await?;
        if action != format!("at 60s: kubectl delete pod {victim}") {
            return Err(format!("timed action shown: {action:?}").into());
        }
        seek(&client, 110.0).await?;
        let script = format!(
            "const pods = [...document.querySelectorAll('.pod')].map(p => p.dataset.pod); return pods.length === 3 && !pods.includes('{victim}')"
        );
        wait_until(&client, "a replacement pod", &script).await
    })
    .await;
}

#[tokio::test]
async fn a_share_link_restores_the_same_state_in_a_fresh_page() {
    with_app(|client, _| async move {
        pick_preset(&client, "gate-off-trap.yaml").await?;
        seek(&client, 42.0).await?;
        let manifest = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
        wait_for(&client, "#share").await?.click().await?;
        let link = wait_for(&client, "input#link").await?.prop("value").await?.unwrap_or_default();
        if !link.contains("#s=") {
            return Err(format!("link: {link:?}").into());
        }
        type_manifest(&client, "kind: Pod\n").await?;
        // Pasted into the same tab, only the fragment changes: the state comes back too.
        client.execute("location.hash = '#nothing'", vec![]).await?;
        let fragment = link[link.find('#').unwrap_or_default()..].to_owned();
        client.execute("location.hash = arguments[0]", vec![serde_json::Value::String(fragment)]).await?;
        wait_until(
            &client,
            "the same-tab restore",
            &format!(
                "return document.querySelector('#manifest').value === {}",
                serde_json::Value::String(manifest.clone())
            ),
        )
        .await?;
        type_manifest(&client, "kind: Pod\n").await?;
        client.goto("about:blank").await?;
        client.goto(&link).await?;
        wait_until(&client, "the shared playhead", "return document.querySelector('#clock')?.dataset.t === '42.000'")
            .await?;
        let shown = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
        let gate = wait_for(&client, "select#gate").await?.prop("value").await?.unwrap_or_default();
        let version = wait_for(&client, "select#version").await?.prop("value").await?.unwrap_or_default();
        if (shown != manifest) || gate != "off" || version != "28" {
            return Err(format!("restored gate {gate:?}, version {version:?}, manifest {shown:?}").into());
        }
        if status_of_first_pod(&client).await? != "Init:0/1" {
            return Err("the restored state does not show the stuck pod".into());
        }
        // The same state as a scenario file, for podsim check and exercises.
        click(&client, "#scenario-file").await?;
        let file = wait_for(&client, "textarea#scenario-text").await?.prop("value").await?.unwrap_or_default();
        let wanted = [
            "k8s: \"1.28\"",
            "featureGates: {\"SidecarContainers\": false}",
            "playhead: 42",
            "manifest: \"apiVersion: v1\\n",
        ];
        if let Some(missing) = wanted.iter().find(|w| !file.contains(*w)) {
            return Err(format!("the scenario file lacks {missing:?}:\n{file}").into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_editor_highlights_marks_errors_and_indents_like_yaml() {
    with_app(|client, _| async move {
        type_manifest(&client, "kind: Pod\nspec: [\n").await?;
        let marked = wait_for(&client, ".gutter .ln.marked.error").await?;
        let line = marked.attr("data-line").await?.unwrap_or_default();
        let place = wait_for(&client, ".note.error .place").await?.text().await?;
        if !place.starts_with(&format!("{line}:")) {
            return Err(format!("gutter marks line {line:?}, message says {place:?}").into());
        }
        wait_for(&client, ".note .jump").await?.click().await?;
        let focused = client.execute("return document.activeElement.id", vec![]).await?;
        if focused != "manifest" {
            return Err(format!("jumping focused {focused}").into());
        }
        type_manifest(&client, &format!("a:{}b", Key::Tab)).await?;
        let value = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
        if value != "a:  b" {
            return Err(format!("after Tab the editor holds {value:?}").into());
        }
        // Enter indents: one step after a key that opens a block, under the keys of a list item.
        type_manifest(&client, "").await?;
        let editor = wait_for(&client, "textarea#manifest").await?;
        editor
            .send_keys(&format!("spec:{}containers:{}- name: web{}image: nginx", Key::Enter, Key::Enter, Key::Enter))
            .await?;
        let value = editor.prop("value").await?.unwrap_or_default();
        let want = "spec:\n  containers:\n    - name: web\n      image: nginx";
        if value != want {
            return Err(format!("after Enter the editor holds {value:?}, not {want:?}").into());
        }
        // Shift+Tab outdents the line; Ctrl+Z undoes it like typing.
        editor.send_keys(&format!("{}{}{}", Key::Shift, Key::Tab, Key::Null)).await?;
        let outdented = editor.prop("value").await?.unwrap_or_default();
        if outdented != "spec:\n  containers:\n    - name: web\n    image: nginx" {
            return Err(format!("after Shift+Tab: {outdented:?}").into());
        }
        editor.send_keys(&format!("{}z{}", Key::Control, Key::Null)).await?;
        let undone = editor.prop("value").await?.unwrap_or_default();
        if undone != want {
            return Err(format!("after Ctrl+Z: {undone:?}").into());
        }
        // Highlighted under the text: keys coloured, the error underlined at its line.
        type_manifest(&client, "kind: Pod\nspec:\n  restartPolicy: Sometimes\n").await?;
        wait_for(&client, ".highlight .mark.error").await?;
        let keys = client
            .execute("return [...document.querySelectorAll('.highlight .key')].map(e => e.textContent)", vec![])
            .await?;
        if keys != serde_json::json!(["kind", "spec", "restartPolicy"]) {
            return Err(format!("highlighted keys: {keys}").into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_timeline_shows_each_container_and_clicking_it_moves_the_playhead() {
    with_app(|client, _| async move {
        pick_preset(&client, "native-job.yaml").await?;
        seek(&client, 0.0).await?;
        wait_for(&client, r#".timeline .row[data-container="network-proxy"] .seg.terminating"#).await?;
        wait_for(&client, r#".timeline .row[data-container="pi"] .seg.ready"#).await?;
        // Markers: hovering pi's exit tells when and how; at that moment its lane flashes it.
        let exit = wait_for(&client, r#".timeline .row[data-container="pi"] .mark.exit title"#).await?;
        let label = client.execute("return arguments[0].textContent", vec![serde_json::to_value(&exit)?]).await?;
        let label = label.as_str().unwrap_or_default().to_owned();
        let at: f64 = label.split('s').next().unwrap_or_default().parse()?;
        if !label.ends_with("Exited (exit 0): Completed") {
            return Err(format!("pi's exit marker says {label:?}").into());
        }
        seek(&client, (at + 1.0).round()).await?;
        let flash = wait_for(&client, r#".pod .container[data-name="pi"] .flash.exit"#).await?.text().await?;
        if flash != "Exited 0" {
            return Err(format!("pi's lane flashes {flash:?}").into());
        }
        // The middle of a track is the middle of the run (5 min).
        let track = wait_for(&client, r#".timeline .row[data-container="pi"] .track"#).await?;
        track.click().await?;
        wait_until(
            &client,
            "the playhead near 150 s",
            "const t = Number(document.querySelector('#clock').dataset.t); return t > 140 && t < 160",
        )
        .await?;
        screenshot_as(&client, "timeline").await
    })
    .await;
}

/// The text of the summary row `key` on one side (`left` or `right`) of the comparison.
async fn summary_cell(client: &Client, key: &str, side: &str) -> Result<String> {
    let cell = if side == "left" { "lhs" } else { "rhs" };
    Ok(wait_for(client, &format!(r#".summary tr[data-key="{key}"] td.{cell}"#)).await?.text().await?)
}

#[tokio::test]
async fn compare_runs_both_settings_on_one_clock_and_sums_up_the_difference() {
    with_app(|client, _| async move {
        pick_preset(&client, "native-job.yaml").await?;
        wait_for(&client, "select#compare").await?.select_by_value("gate-off").await?;
        wait_for(&client, r#".side[data-side="right"] .pod"#).await?;
        let head = wait_for(&client, ".compare-head h2").await?.text().await?;
        if head != "SidecarContainers on vs SidecarContainers off" {
            return Err(format!("compare heading {head:?}").into());
        }
        let (left, right) =
            (summary_cell(&client, "Job pi", "left").await?, summary_cell(&client, "Job pi", "right").await?);
        if !left.starts_with("complete at ") || !right.starts_with("not complete after ") {
            return Err(format!("Job pi: left {left:?}, right {right:?}").into());
        }
        wait_for(&client, r#".summary tr.differs[data-key="Job pi"]"#).await?;
        // One clock: both sides show the moment the playhead is at.
        seek(&client, 120.0).await?;
        let status = |side: &'static str| {
            let client = client.clone();
            async move {
                let pod = wait_for(&client, &format!(r#".side[data-side="{side}"] .pod"#)).await?;
                Result::Ok(pod.attr("data-status").await?.unwrap_or_default())
            }
        };
        let (l, r) = (status("left").await?, status("right").await?);
        if (l.as_str(), r.as_str()) != ("Completed", "Init:0/1") {
            return Err(format!("at 120s: left {l:?}, right {r:?}").into());
        }
        screenshot_as(&client, "compare").await?;
        // A share link carries the comparison.
        wait_for(&client, "#share").await?.click().await?;
        let link = wait_for(&client, "input#link").await?.prop("value").await?.unwrap_or_default();
        click(&client, ".close-compare").await?;
        wait_until(&client, "the split view closed", "return !document.querySelector('.compare')").await?;
        client.goto("about:blank").await?;
        client.goto(&link).await?;
        wait_for(&client, r#".summary tr.differs[data-key="Job pi"]"#).await?;
        let chosen = wait_for(&client, "select#compare").await?.prop("value").await?.unwrap_or_default();
        if chosen != "gate-off" {
            return Err(format!("the restored comparison is {chosen:?}").into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_advanced_panel_sets_a_gate_for_the_kubelet_alone() {
    with_app(|client, _| async move {
        pick_preset(&client, "native-job.yaml").await?;
        seek(&client, 30.0).await?;
        wait_for(&client, ".advanced summary").await?.click().await?;
        wait_for(&client, "select#gate-kubelet-SidecarContainers").await?.select_by_value("off").await?;
        // The API server keeps the sidecar; the kubelet without the gate refuses the pod.
        wait_until(
            &client,
            "the kubelet rejecting the pod",
            r#"return document.querySelector('.pod')?.dataset.status === 'InitContainerRestartPolicyForbidden'"#,
        )
        .await?;
        wait_for(&client, "select#gate-kubelet-SidecarContainers").await?.select_by_value("default").await?;
        wait_until(
            &client,
            "the pod running again",
            r#"return document.querySelector('.pod')?.dataset.status !== 'InitContainerRestartPolicyForbidden'"#,
        )
        .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn every_preset_loads_with_its_story_and_pods() {
    with_app(|client, _| async move {
        let menu = wait_for(&client, "select#preset").await?;
        let mut files = Vec::new();
        for option in menu.find_all(Locator::Css("option")).await? {
            files.push(option.attr("value").await?.unwrap_or_default());
        }
        files.retain(|f| !f.is_empty());
        if files.len() < 10 {
            return Err(format!("the menu offers only {files:?}").into());
        }
        for file in files {
            pick_preset(&client, &file).await?;
            // The editor shows the preset's manifest and the story line says what to watch.
            let text = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
            if !text.contains("kind:") {
                return Err(format!("{file}: editor shows {text:?}").into());
            }
            let story = wait_for(&client, ".story").await?.text().await?;
            if story.is_empty() {
                return Err(format!("{file}: no story").into());
            }
            // Every story has its pods at 20 s (one deletes its pod at 30 s).
            seek(&client, 20.0).await?;
            wait_for(&client, ".pod[data-status]").await.map_err(|e| format!("{file}: {e}"))?;
            if !client.find_all(Locator::Css(".note.error")).await?.is_empty() {
                return Err(format!("{file}: the preset shows an error").into());
            }
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_theme_menu_switches_light_and_dark_and_is_remembered() {
    with_app(|client, _| async move {
        let background = "return getComputedStyle(document.body).backgroundColor";
        for (theme, colour) in
            [("dark", "rgb(20, 23, 29)"), ("light", "rgb(246, 247, 249)"), ("dark", "rgb(20, 23, 29)")]
        {
            wait_for(&client, "select#theme").await?.select_by_value(theme).await?;
            wait_until(&client, &format!("the {theme} theme"), &format!("{background} === '{colour}'")).await?;
        }
        client.refresh().await?;
        wait_for(&client, "select#theme").await?;
        let shown = client.execute(background, vec![]).await?;
        if shown != "rgb(20, 23, 29)" {
            return Err(format!("after a reload the page is {shown}, not dark").into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn converting_a_legacy_sidecar_edits_the_yaml_and_opens_compare() {
    with_app(|client, _| async move {
        pick_preset(&client, "legacy-job.yaml").await?;
        let before = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
        click(&client, "#convert").await?;
        let candidate = wait_for(&client, r#".candidate[data-container="network-proxy"] input"#).await?;
        if candidate.prop("checked").await?.as_deref() != Some("true") {
            return Err("the suggested sidecar is not chosen".into());
        }
        let added = wait_for(&client, ".diff .diff-line.added").await?.text().await?;
        if !added.contains("initContainers:") {
            return Err(format!("first added line: {added:?}").into());
        }
        screenshot_as(&client, "convert").await?;
        click(&client, "#apply-conversion").await?;
        wait_for(&client, r#".summary tr.differs[data-key="Job pi"]"#).await?;
        let after = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
        // The proxy's lines moved whole, with restartPolicy added; nothing else changed.
        let proxy = "      - name: network-proxy\n        image: hwchiu/netutils\n        command: [\"sleep\", \"infinity\"]\n";
        let moved = "      initContainers:\n      - name: network-proxy\n        restartPolicy: Always\n        image: hwchiu/netutils\n        command: [\"sleep\", \"infinity\"]\n      containers:\n";
        let expected = before.replace(proxy, "").replace("      containers:\n", moved);
        if !before.contains(proxy) || after != expected {
            return Err(format!("converted text:\n{after}\nexpected:\n{expected}").into());
        }
        let (left, right) = (summary_cell(&client, "Job pi", "left").await?, summary_cell(&client, "Job pi", "right").await?);
        if !left.starts_with("complete at ") || !right.starts_with("not complete") {
            return Err(format!("after conversion: {left:?} vs before: {right:?}").into());
        }
        click(&client, ".revert").await?;
        wait_until(&client, "the text before", "return !document.querySelector('.compare')").await?;
        let reverted = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
        if reverted != before {
            return Err(format!("undo shows:\n{reverted}").into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn trying_a_preset_or_a_link_never_loses_the_typed_text() {
    with_app(|client, _| async move {
        let typed = "# my own pod\nkind: Pod\n";
        type_manifest(&client, typed).await?;
        let editor_text = "document.querySelector('#manifest').value";
        wait_until(
            &client,
            "the text saved",
            &format!("return localStorage.getItem('podsim.manifest') === {}", serde_json::Value::String(typed.into())),
        )
        .await?;
        pick_preset(&client, "legacy-job.yaml").await?;
        wait_until(&client, "the preset's text", &format!("return {editor_text}.includes('kind: Job')")).await?;
        // A reload in between keeps the text aside too.
        client.refresh().await?;
        click(&client, "#restore-draft").await?;
        let back = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
        if back != typed {
            return Err(format!("'Your manifest' brought back {back:?}").into());
        }
        // Opening someone's link in a fresh page: the link shows, the typed text waits aside.
        pick_preset(&client, "native-job.yaml").await?;
        wait_for(&client, "#share").await?.click().await?;
        let link = wait_for(&client, "input#link").await?.prop("value").await?.unwrap_or_default();
        // Choosing "Your manifest" in the menu brings it back too.
        wait_for(&client, "select#preset").await?.select_by_value("").await?;
        wait_until(
            &client,
            "my text again",
            &format!("return {editor_text} === {}", serde_json::Value::String(typed.into())),
        )
        .await?;
        client.goto("about:blank").await?;
        client.goto(&link).await?;
        wait_until(&client, "the link's text", &format!("return {editor_text}.includes('kind: Job')")).await?;
        click(&client, "#restore-draft").await?;
        wait_until(
            &client,
            "my text after the link",
            &format!("return {editor_text} === {}", serde_json::Value::String(typed.into())),
        )
        .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_page_fits_a_tablet_without_scrolling_sideways() {
    with_app(|client, _| async move {
        for (width, height) in [(1024, 768), (768, 1024)] {
            client.set_window_size(width, height).await?;
            pick_preset(&client, "native-deployment.yaml").await?;
            wait_for(&client, ".pod").await?;
            wait_for(&client, "select#compare").await?.select_by_value("v29").await?;
            wait_for(&client, r#".side[data-side="right"] .pod"#).await?;
            // Badges come and go as the run plays: look at several moments.
            for t in [0.0, 2.0, 4.0, 6.0, 10.0, 20.0, 40.0] {
                seek(&client, t).await?;
                let (scroll, inner) = (
                    client.execute("return document.documentElement.scrollWidth", vec![]).await?,
                    client.execute("return window.innerWidth", vec![]).await?,
                );
                if scroll.as_f64() > inner.as_f64() {
                    let wide = client
                        .execute(
                            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))",
                            vec![],
                        )
                        .await?;
                    return Err(format!("at {width}px and {t}s the page is {scroll}px wide (window {inner}px): {wide}").into());
                }
            }
            wait_for(&client, ".close-compare").await?;
            click(&client, ".close-compare").await?;
        }
        screenshot_as(&client, "tablet").await
    })
    .await;
}

#[tokio::test]
async fn a_presets_goals_are_checked_live_and_travel_in_links_as_an_exercise() {
    with_app(|client, _| async move {
        pick_preset(&client, "native-job.yaml").await?;
        let heading = wait_for(&client, ".goals h2").await?.text().await?;
        let counts: Vec<usize> = heading.split(|c: char| !c.is_ascii_digit()).filter_map(|w| w.parse().ok()).collect();
        if counts.len() != 2 || counts[0] != counts[1] || counts[0] == 0 {
            return Err(format!("a preset's goals: {heading:?}").into());
        }
        // Turn the gate off: the story no longer holds, and the panel says which goal fails and why.
        wait_for(&client, "select#gate").await?.select_by_value("off").await?;
        let failing = wait_for(&client, ".goal.fails .why-not").await?.text().await?;
        if failing.is_empty() {
            return Err("a failing goal without a reason".into());
        }
        // The link carries the goals: the other side sees the same failing check.
        wait_for(&client, "#share").await?.click().await?;
        let link = wait_for(&client, "input#link").await?.prop("value").await?.unwrap_or_default();
        client.goto("about:blank").await?;
        client.goto(&link).await?;
        wait_for(&client, ".goal.fails").await?;
        let again = wait_for(&client, ".goals h2").await?.text().await?;
        if again == heading {
            return Err(format!("the link's goals read {again:?}, as if they all held").into());
        }
        // Putting the gate back on fixes the "exercise".
        wait_for(&client, "select#gate").await?.select_by_value("on").await?;
        wait_until(&client, "every goal holding", "return document.querySelectorAll('.goal.fails').length === 0")
            .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_embed_shows_the_run_without_the_editor_and_leaves_the_users_text_alone() {
    with_app(|client, url| async move {
        pick_preset(&client, "native-job.yaml").await?;
        click(&client, "#embed").await?;
        let code = wait_for(&client, "textarea#embed-code").await?.prop("value").await?.unwrap_or_default();
        let src = code
            .split("src=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .ok_or_else(|| format!("no src in {code:?}"))?
            .replace("&amp;", "&");
        if !(code.starts_with("<iframe ") && src.contains("#e=")) {
            return Err(format!("embed code {code:?}").into());
        }
        let typed = "# mine\nkind: Pod\n";
        type_manifest(&client, typed).await?;
        wait_until(
            &client,
            "my text saved",
            &format!("return localStorage.getItem('podsim.manifest') === {}", serde_json::Value::String(typed.into())),
        )
        .await?;
        client.goto("about:blank").await?;
        client.goto(&src).await?;
        wait_for(&client, ".embed .pod").await?;
        wait_for(&client, ".embed .goals").await?;
        if !client.find_all(Locator::Css("textarea#manifest")).await?.is_empty() {
            return Err("the embed shows the editor".into());
        }
        let open = wait_for(&client, ".embed .open").await?.attr("href").await?.unwrap_or_default();
        if !open.contains("#s=") {
            return Err(format!("'Open in the playground' goes to {open:?}").into());
        }
        wait_for(&client, "#play").await?.click().await?;
        wait_until(&client, "the embed playing", "return Number(document.querySelector('#clock').dataset.t) > 0")
            .await?;
        screenshot_as(&client, "embed").await?;
        // Back in the playground, the user's own text is still there.
        client.goto(&url).await?;
        let shown = wait_for(&client, "textarea#manifest").await?.prop("value").await?.unwrap_or_default();
        if shown != typed {
            return Err(format!("after viewing an embed the editor shows {shown:?}").into());
        }
        Ok(())
    })
    .await;
}
