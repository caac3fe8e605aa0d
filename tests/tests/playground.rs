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

/// Replaces the editor's text by typing, key by key, as a person would.
async fn type_manifest(client: &Client, text: &str) -> Result {
    let editor = wait_for(client, "textarea#manifest").await?;
    editor.clear().await?;
    editor.send_keys(text).await?;
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
