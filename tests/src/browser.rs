//! A headless Chromium session on the built app. Each test gets its own chromedriver on a
//! free port, its own browser profile and its own file server, so tests run in parallel
//! and never see each other's localStorage.

use std::future::Future;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::server::Server;
use crate::Result;

/// How long to wait for the page to show something before failing.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Runs `test` against the built app in a fresh browser, closes the browser whatever the
/// outcome, then panics with the test's error if it failed. Without `PODSIM_DIST` it only
/// says why it skips.
pub async fn with_app<F, Fut>(test: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = Result>,
{
    let Some(dist) = std::env::var_os("PODSIM_DIST").map(PathBuf::from) else {
        // Straight to stderr: libtest captures print!/eprint!, and this note must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: browser test needs the built app; `cargo xtask test` builds it and sets PODSIM_DIST"
        );
        return;
    };
    let app = match App::open(&dist).await {
        Ok(app) => app,
        Err(e) => panic!("cannot start the browser on {}: {e}", dist.display()),
    };
    let result = test(app.client.clone(), app.server.url()).await;
    app.close().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Waits for an element, and on timeout says what the page showed instead.
pub async fn wait_for(client: &Client, css: &str) -> Result<fantoccini::elements::Element> {
    match client.wait().at_most(PATIENCE).every(Duration::from_millis(50)).for_element(Locator::Css(css)).await {
        Ok(element) => Ok(element),
        Err(e) => {
            // innerText: what a person sees, as one string.
            let shown = match client.execute("return document.body.innerText", vec![]).await {
                Ok(serde_json::Value::String(text)) => text,
                Ok(other) => other.to_string(),
                Err(e) => format!("(cannot read the page: {e})"),
            };
            Err(format!("waited {PATIENCE:?} for {css:?} ({e}); the page shows:\n{shown}").into())
        }
    }
}

/// Saves a PNG of the page where `PODSIM_SCREENSHOT` says (the README's picture).
pub async fn screenshot(client: &Client) -> Result {
    let Some(path) = std::env::var_os("PODSIM_SCREENSHOT").map(PathBuf::from) else {
        return Ok(());
    };
    let png = client.screenshot().await?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, png)?;
    Ok(())
}

/// Polls `script` (a JavaScript function body returning a value) until it returns `true`;
/// on timeout says what `what` was waiting for and what the page showed.
pub async fn wait_until(client: &Client, what: &str, script: &str) -> Result {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if client.execute(script, vec![]).await? == serde_json::Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            let shown = client.execute("return document.body.innerText", vec![]).await?;
            return Err(format!(
                "waited {PATIENCE:?} for {what}; the page shows:\n{}",
                shown.as_str().unwrap_or_default()
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Saves a PNG of the page as `NAME.png` beside the README's picture (`docs/`), for the
/// README's screenshots section.
pub async fn screenshot_as(client: &Client, name: &str) -> Result {
    let Some(dir) =
        std::env::var_os("PODSIM_SCREENSHOT").map(PathBuf::from).and_then(|p| p.parent().map(Path::to_owned))
    else {
        return Ok(());
    };
    let png = client.screenshot().await?;
    std::fs::create_dir_all(dir.join("screenshots"))?;
    std::fs::write(dir.join("screenshots").join(format!("{name}.png")), png)?;
    Ok(())
}

struct App {
    client: Client,
    server: Server,
    _driver: Driver,
}

impl App {
    async fn open(dist: &Path) -> Result<App> {
        if !dist.join("index.html").is_file() {
            return Err(format!("no index.html in {}: build the app first", dist.display()).into());
        }
        let server = Server::start(dist.to_owned())?;
        // Another test's file server can take the port chosen for chromedriver before
        // chromedriver binds it (the driver then exits and the probe reached the wrong
        // process): start a new driver when the session cannot be created.
        let mut attempt = 0;
        let (driver, client) = loop {
            attempt += 1;
            let driver = Driver::start().await?;
            match connect(driver.port, &driver.profile).await {
                Ok(client) => break (driver, client),
                Err(e) if attempt < 3 => {
                    let _ = writeln!(std::io::stderr(), "chromedriver on port {} failed ({e}); retrying", driver.port);
                }
                Err(e) => return Err(e),
            }
        };
        let app = App { client, server, _driver: driver };
        let ready = async {
            app.client.set_window_size(1280, 900).await?;
            app.client.goto(&app.server.url()).await
        };
        match ready.await {
            Ok(()) => Ok(app),
            Err(e) => {
                app.close().await;
                Err(e.into())
            }
        }
    }

    /// Ends the browser session (Chromium exits); dropping then stops chromedriver.
    async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// A running chromedriver and the browser profile it uses; dropping stops and removes both.
struct Driver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Driver {
    async fn start() -> Result<Driver> {
        let profile = fresh_profile()?;
        match start_chromedriver().await {
            Ok((child, port)) => Ok(Driver { child, port, profile }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&profile);
                Err(e)
            }
        }
    }
}

fn fresh_profile() -> Result<PathBuf> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("podsim-e2e-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Starts chromedriver on a free port and waits until it listens. A port taken between
/// choosing and binding makes chromedriver exit; then another port is tried.
async fn start_chromedriver() -> Result<(Child, u16)> {
    let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
    for _ in 0..3 {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut driver = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        let deadline = Instant::now() + PATIENCE;
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok((driver, port));
            }
            if driver.try_wait()?.is_some() {
                break;
            }
            if Instant::now() > deadline {
                let _ = driver.kill();
                let _ = driver.wait();
                return Err(format!("{program} did not listen on port {port} within {PATIENCE:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    Err(format!("{program} exited at start three times").into())
}

async fn connect(port: u16, profile: &Path) -> Result<Client> {
    let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect::<Vec<_>>();
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": binary, "args": args},
    });
    let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("a JSON object literal") };
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await?;
    Ok(client)
}

/// Clicks an element after scrolling it to the middle of the window, so the sticky playback
/// bar cannot cover it (WebDriver's own scrolling only makes it "in view").
pub async fn click(client: &Client, css: &str) -> Result {
    let element = wait_for(client, css).await?;
    client.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&element)?]).await?;
    element.click().await?;
    Ok(())
}
