//! `cargo xtask measure`: the playground's speed figures for the README, read from the built
//! app in headless Chromium. It prints numbers and asserts nothing: speed is measured here,
//! never in timed tests.
//!
//! - the wasm bundle, raw and `gzip -9`;
//! - navigation to the first simulated frame: the app's `podsim-first-frame` User Timing
//!   mark (set once the first simulated render is in the DOM), a fresh page each time;
//! - frame time while playing a 50-pod Deployment: the app's `podsim-frame` measures, from a
//!   playback tick to the end of its render.

use std::path::PathBuf;
use std::time::Duration;

use podsim_e2e::browser::{wait_for, wait_until, with_app};
use podsim_e2e::Result;

/// Page loads measured for the first frame.
const LOADS: usize = 7;
/// Real seconds of playback measured.
const PLAY_SECS: u64 = 10;

/// 50 pods, each with a native sidecar behind a startupProbe and an app with a readiness probe.
const FIFTY_PODS: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 50
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
      - name: proxy
        image: envoyproxy/envoy:v1.29.0
        restartPolicy: Always
        startupProbe:
          tcpSocket: {port: 10000}
          periodSeconds: 1
      containers:
      - name: app
        image: nginx:1.25
        readinessProbe:
          httpGet: {path: /, port: 80}
";

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = bundle() {
        eprintln!("measure: {e}");
    }
    with_app(|client, _| async move {
        let example = first_frames(&client, None).await?;
        report("first simulated frame, example pod (ms after navigation)", &example);
        let fifty = first_frames(&client, Some(FIFTY_PODS)).await?;
        report("first simulated frame, 50-pod Deployment (ms after navigation)", &fifty);
        let frames = playing(&client).await?;
        report("frame while playing the 50-pod Deployment at 30x (ms, tick to rendered)", &frames);
        Ok(())
    })
    .await;
}

/// Sizes of the built wasm, raw and as `gzip -9` sends it.
fn bundle() -> Result {
    let dist = PathBuf::from(std::env::var_os("PODSIM_DIST").ok_or("PODSIM_DIST is not set")?);
    for entry in std::fs::read_dir(&dist)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let raw = std::fs::metadata(&path)?.len();
            let gz = std::process::Command::new("gzip").args(["-9", "-c"]).arg(&path).output()?.stdout.len();
            println!(
                "wasm bundle {}: {raw} bytes raw ({} KiB), {gz} bytes gzip -9 ({} KiB)",
                path.display(),
                raw / 1024,
                gz / 1024
            );
        }
    }
    Ok(())
}

/// The first-frame mark of `LOADS` fresh page loads, with `manifest` saved as the user's text.
async fn first_frames(client: &fantoccini::Client, manifest: Option<&str>) -> Result<Vec<f64>> {
    wait_for(client, "textarea#manifest").await?;
    if let Some(text) = manifest {
        client
            .execute(
                "localStorage.setItem('podsim.manifest', arguments[0])",
                vec![serde_json::Value::String(text.to_owned())],
            )
            .await?;
    }
    let mut times = Vec::new();
    for _ in 0..LOADS {
        client.refresh().await?;
        wait_until(client, "the first frame", "return performance.getEntriesByName('podsim-first-frame').length > 0")
            .await?;
        let t =
            client.execute("return performance.getEntriesByName('podsim-first-frame')[0].startTime", vec![]).await?;
        times.push(t.as_f64().ok_or("no mark time")?);
    }
    Ok(times)
}

/// Frame times over `PLAY_SECS` of playback at 30×, from the start of the run.
async fn playing(client: &fantoccini::Client) -> Result<Vec<f64>> {
    client.refresh().await?;
    wait_for(client, r#".pod[data-status]"#).await?;
    wait_for(client, r#"button.speed[data-speed="30"]"#).await?.click().await?;
    let play = wait_for(client, "#play").await?;
    if play.attr("aria-pressed").await?.as_deref() != Some("true") {
        play.click().await?;
    }
    client.execute("performance.clearMeasures('podsim-frame')", vec![]).await?;
    tokio::time::sleep(Duration::from_secs(PLAY_SECS)).await;
    let list =
        client.execute("return performance.getEntriesByName('podsim-frame').map(e => e.duration)", vec![]).await?;
    let frames: Vec<f64> = list.as_array().ok_or("no frame list")?.iter().filter_map(|v| v.as_f64()).collect();
    if frames.is_empty() {
        return Err("no frames were measured: is the app playing?".into());
    }
    Ok(frames)
}

fn report(what: &str, samples: &[f64]) {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let pick = |q: f64| s[((s.len() - 1) as f64 * q).round() as usize];
    let mean = s.iter().sum::<f64>() / s.len() as f64;
    println!("{what}: n={} mean={mean:.1} median={:.1} p95={:.1} max={:.1}", s.len(), pick(0.5), pick(0.95), pick(1.0));
}
