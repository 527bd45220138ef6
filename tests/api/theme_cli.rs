//! `portcullis theme push|pull|serve` (src/cli/theme.rs) against a real server, over HTTP,
//! as the binary runs them: push shows on the real sign-in page, pushing again publishes
//! nothing, pull → push changes nothing, refusals name the file and setting, other
//! tenants' and unprivileged tokens are refused; the preview renders every page in every
//! locale, light and dark, and its change signal moves when a file changes.
use std::path::{Path, PathBuf};

use portcullis::cli::theme::{self, Api, CliError, Target};

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(
    push_shows_on_the_sign_in_page_and_again_publishes_nothing,
    pull_then_push_changes_nothing,
    push_refusals_name_the_file_and_the_setting,
    push_takes_an_administrator_of_the_tenant,
    the_binary_pushes_and_pulls_with_the_token_of_the_environment,
    pull_writes_only_the_folders_own_files,
);

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 30"><rect width="120" height="30" fill="#c8102e"/></svg>"##;

/// A fresh folder with the given files.
fn folder(files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pc-theme-{}", uuid::Uuid::new_v4().simple()));
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn acme_folder() -> PathBuf {
    folder(&[
        ("theme.toml", "product_name = \"ACME Shop\"\nlogo_url = \"assets/logo.svg\"\n\n[tokens]\n\"--pc-color-primary\" = \"#8a1020\"\n"),
        ("assets/logo.svg", LOGO),
        ("texts/de.ftl", "# ACME\nsign-in = Bei ACME anmelden\n"),
        ("README.md", "not part of the theme"),
    ])
}

fn shop() -> Target {
    Target { tenant: "acme".into(), workspace: Some("shop".into()), client: None }
}

async fn admin_api(app: &TestApp) -> Api {
    Api::new(&app.base, &app.client_token("acme-admin").await).unwrap()
}

/// The real sign-in page of shop-web, in German.
async fn sign_in_page(app: &TestApp) -> String {
    let url = authorize_url(app, "shop-web", WEB_REDIRECT, &[("ui_locales", "de")]);
    let (_, html, _) = Browser::default().first_form(&url, WEB_REDIRECT).await;
    html
}

async fn push_shows_on_the_sign_in_page_and_again_publishes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let dir = acme_folder();
    // The credentials of the binary's --issuer/--client-id/--client-secret: a token by
    // client_credentials from the issuer's discovered token endpoint.
    let api = Api::with_client(&app.base, &format!("{}/acme/club", app.base), "acme-admin", "acme-admin-secret").await.unwrap();
    let first = theme::push(&api, &dir, &shop(), false).await.unwrap();
    assert_eq!((first.uploaded, first.version, first.changed), (1, Some(1), true));

    let html = sign_in_page(&app).await;
    assert!(html.contains("--pc-color-primary:#8a1020"), "the pushed token is on the page");
    assert!(html.contains("Bei ACME anmelden") && html.contains("ACME Shop"), "the pushed text and product name");
    let logo = attr_values(&html, "src").into_iter().find(|s| s.starts_with("/static/t/acme/")).expect("the uploaded logo on the page");
    let resp = http().get(format!("{}{logo}", app.base)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), LOGO);

    let again = theme::push(&api, &dir, &shop(), false).await.unwrap();
    assert_eq!((again.uploaded, again.version, again.changed), (0, Some(1), false), "the same folder publishes nothing new");
    let (_, versions) = api_get(&app, "/tenants/acme/workspaces/shop/theme/versions").await;
    assert_eq!(versions["items"].as_array().unwrap().len(), 1);

    // --draft keeps the change from the page until it is published.
    std::fs::write(dir.join("texts/de.ftl"), "sign-in = Entwurf\n").unwrap();
    let draft = theme::push(&api, &dir, &shop(), true).await.unwrap();
    assert!(draft.changed && draft.version.is_none());
    assert!(!sign_in_page(&app).await.contains("Entwurf"), "a draft is shown to nobody");
    let (status, d) = api_get(&app, "/tenants/acme/workspaces/shop/theme/draft").await;
    assert_eq!((status, d["layer"]["texts"]["de"]["sign-in"].as_str()), (200, Some("Entwurf")));
}

async fn api_get(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    api(reqwest::Method::GET, &app.admin(path), &app.client_token("acme-admin").await, None).await
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    portcullis::theme::folder::read_dir(dir).unwrap().into_iter().collect()
}

async fn pull_then_push_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let api = admin_api(&app).await;
    let client = Target { tenant: "acme".into(), workspace: Some("shop".into()), client: Some("shop-web".into()) };
    let frame = "<header class=\"top\">{{ brand.product_name }}</header>{{ form }}";
    let src = folder(&[
        (
            "theme.toml",
            "logo_url = \"assets/logo.svg\"\nbackground_image = \"assets/img/bg.png\"\ncolor_scheme = \"dark\"\n[dark]\n\"--pc-color-link\" = \"#9fc0ff\"\n[tokens]\n\"--pc-font-family\" = \"Brand, sans-serif\"\n[[fonts]]\nfamily = \"Brand\"\nurl = \"assets/brand.woff2\"\nweight = \"100 900\"\n",
        ),
        ("assets/logo.svg", LOGO),
        ("texts/fr.ftl", "sign-in = Connexion ACME\nwait-seconds = { $n ->\n    [one] Patientez une seconde.\n   *[other] Patientez { $n } secondes.\n}\n"),
        ("frame.html", frame),
        ("frames/consent.html", "<div class=\"consent-frame\">{{ form }}</div>"),
    ]);
    // Binary assets: a PNG background (its IHDR header is what is checked) and a WOFF2 font.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0, 0, 0, 40, 0, 0, 0, 20, 8, 6, 0, 0, 0, 0, 0, 0, 0]);
    std::fs::create_dir_all(src.join("assets/img")).unwrap();
    std::fs::write(src.join("assets/img/bg.png"), &png).unwrap();
    std::fs::write(src.join("assets/brand.woff2"), b"wOF2\0\x01\0\0font").unwrap();
    let pushed = theme::push(&api, &src, &client, false).await.unwrap();
    assert!(pushed.changed && pushed.uploaded == 3, "{pushed:?}");
    let html = Browser::default().first_form(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await.1;
    let font_id = portcullis::theme::assets::id_of(b"wOF2\0\x01\0\0font");
    assert!(html.contains(&format!("@font-face{{font-family:Brand;src:url(/static/t/acme/{font_id}.woff2)")), "the client's page loads the pushed font: {html}");
    assert!(html.contains("--pc-background-image:url(/static/t/acme/"), "and the background image");

    let out = folder(&[("texts/es.ftl", "sign-in = stale\n"), ("notes.txt", "kept")]);
    let pulled = theme::pull(&api, &out, &client).await.unwrap();
    assert_eq!((pulled.version, pulled.assets), (1, 3));
    assert_eq!(std::fs::read(out.join(format!("assets/{font_id}.woff2"))).unwrap(), b"wOF2\0\x01\0\0font");
    assert!(!out.join("texts/es.ftl").exists(), "texts the layer does not have are removed");
    assert!(out.join("notes.txt").exists(), "other files stay");
    let logo_id = portcullis::theme::assets::id_of(LOGO.as_bytes());
    let toml = std::fs::read_to_string(out.join("theme.toml")).unwrap();
    assert!(toml.contains(&format!("logo_url = \"assets/{logo_id}.svg\"")), "{toml}");
    assert_eq!(std::fs::read_to_string(out.join(format!("assets/{logo_id}.svg"))).unwrap(), LOGO);
    assert_eq!(std::fs::read_to_string(out.join("frame.html")).unwrap(), frame);

    let back = theme::push(&api, &out, &client, false).await.unwrap();
    assert_eq!((back.changed, back.version, back.uploaded), (false, Some(1), 0), "pull → push publishes nothing");
    let before = read_all(&out);
    theme::pull(&api, &out, &client).await.unwrap();
    assert_eq!(read_all(&out), before, "a second pull writes the same files");
}

async fn push_refusals_name_the_file_and_the_setting(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let api = admin_api(&app).await;
    // Checked by the server: contrast, over the layers below.
    let pale = folder(&[("theme.toml", "[tokens]\n\"--pc-color-text\" = \"#bbbbbb\"\n")]);
    match theme::push(&api, &pale, &shop(), false).await {
        Err(CliError::Refused(p)) => {
            assert_eq!((p[0].file.as_str(), p[0].setting.as_str()), ("theme.toml", "tokens.\"--pc-color-text\""), "{p:?}");
            assert!(p[0].message.contains("4.5:1"), "{}", p[0].message);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let escape = folder(&[("theme.toml", "[tokens]\n\"--pc-color-primary\" = \"red;} body{display:none\"\n")]);
    let e = theme::push(&api, &escape, &shop(), false).await.unwrap_err();
    assert!(e.to_string().contains("theme.toml: tokens.\"--pc-color-primary\""), "{e}");
    // Allowed origins only on the tenant layer: named as the setting.
    let origins = folder(&[("theme.toml", "allowed_origins = [\"https://cdn.example.com\"]\n")]);
    assert!(theme::push(&api, &origins, &shop(), false).await.unwrap_err().to_string().contains("theme.toml: allowed_origins"));
    // Checked before anything is sent: the folder's own files.
    for (files, named) in [
        (vec![("theme.toml", ""), ("texts/de.ftl", "no-such-text = x\n")], "texts/de.ftl: no-such-text"),
        (vec![("theme.toml", ""), ("texts/de.ftl", "sign-in = { $who }\n")], "texts/de.ftl: sign-in"),
        (vec![("theme.toml", "logo_url = \"assets/logo.svg\""), ("assets/logo.svg", "<svg><script>alert(1)</script></svg>")], "theme.toml: logo_url"),
        (vec![("theme.toml", "logo_url = \"../../etc/passwd\"")], "theme.toml: logo_url"),
        (vec![("theme.toml", "colour = \"red\"")], "theme.toml"),
        (vec![("theme.toml", ""), ("frames/nope.html", "{{ form }}")], "frames/nope.html"),
        (vec![("theme.toml", ""), ("frame.html", "<script>alert(1)</script>{{ form }}")], "frame.html"),
    ] {
        let dir = folder(&files);
        let e = theme::push(&api, &dir, &shop(), false).await.unwrap_err();
        assert!(e.to_string().contains(named), "{named}: {e}");
    }
    let (_, versions) = api_get(&app, "/tenants/acme/workspaces/shop/theme/versions").await;
    assert!(versions["items"].as_array().unwrap().is_empty(), "nothing was published");
}

async fn push_takes_an_administrator_of_the_tenant(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.provision(
        "tenants:\n  - id: globex\n    workspaces:\n      - id: hq\n        clients:\n          - { client_id: globex-admin, client_secret: globex-admin-secret, grant_types: [client_credentials], scopes: [admin], privileges: [tenant-admin] }\n",
    )
    .await;
    let dir = acme_folder();
    let other = Api::with_client(&app.base, &format!("{}/globex/hq", app.base), "globex-admin", "globex-admin-secret").await.unwrap();
    let users = Api::new(&app.base, &app.client_token("acme-useradmin").await).unwrap();
    let nobody = Api::new(&app.base, &app.client_token("no-privileges").await).unwrap();
    for (who, api) in [("another tenant's administrator", &other), ("a user administrator", &users), ("a client without privileges", &nobody)] {
        match theme::push(api, &dir, &shop(), false).await {
            Err(CliError::Api { status: 403, .. }) => {}
            other => panic!("{who}: expected 403, got {other:?}"),
        }
        let out = folder(&[]);
        assert!(matches!(theme::pull(api, &out, &shop()).await, Err(CliError::Api { status: 403, .. })), "{who} cannot pull");
    }
    let bad = Api::new(&app.base, "not-a-token").unwrap();
    assert!(matches!(theme::push(&bad, &dir, &shop(), false).await, Err(CliError::Api { status: 401, .. })));
    assert!(Api::with_client(&app.base, &format!("{}/acme/club", app.base), "acme-admin", "wrong-secret-wrong").await.is_err());
    // A system administrator may.
    let root = Api::new(&app.base, &app.client_token("root-admin").await).unwrap();
    assert!(theme::push(&root, &dir, &shop(), false).await.unwrap().changed);
    assert!(sign_in_page(&app).await.contains("Bei ACME anmelden"));
}

/// A folder whose `texts/`, `frames/`, `assets/`, or a file pull writes, is a symbolic
/// link: pull refuses, naming it, writes nothing, and the place the link points to stays
/// as it was.
async fn pull_writes_only_the_folders_own_files(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let api = admin_api(&app).await;
    assert!(theme::push(&api, &acme_folder(), &shop(), false).await.unwrap().changed);
    let logo = format!("assets/{}.svg", portcullis::theme::assets::id_of(LOGO.as_bytes()));
    // (link in the pulled folder, the link's target under `outside`, a file there)
    let cases: [(&str, &str, Option<&str>); 6] = [
        ("texts", "dir", None),
        ("assets", "dir", None),
        ("frames", "dir", Some("login.html")),
        ("theme.toml", "file", None),
        ("texts/de.ftl", "file", None),
        (logo.as_str(), "file", None),
    ];
    for (link, kind, keep) in cases {
        let out = folder(&[]);
        let outside = folder(&[("dir/keep.txt", "keep"), ("file", "outside content")]);
        if let Some(k) = keep {
            std::fs::write(outside.join("dir").join(k), "kept").unwrap();
        }
        let at = out.join(link);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.join(kind), &at).unwrap();
        let e = theme::pull(&api, &out, &shop()).await.expect_err(link).to_string();
        assert!(e.contains(link) && e.contains("symbolic link"), "{link}: {e}");
        assert_eq!(std::fs::read_to_string(outside.join("file")).unwrap(), "outside content", "{link}: nothing written through the link");
        let there: Vec<_> = std::fs::read_dir(outside.join("dir")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        let mut expected = vec!["keep.txt".to_owned()];
        expected.extend(keep.map(str::to_owned));
        let mut there = there;
        there.sort();
        expected.sort();
        assert_eq!(there, expected, "{link}: nothing written or removed through the link");
        assert!(link == "theme.toml" || !out.join("theme.toml").exists(), "{link}: the refusal comes before the first write");
    }
    // Without links, the same pull writes the folder.
    let out = folder(&[]);
    theme::pull(&api, &out, &shop()).await.unwrap();
    assert!(std::fs::read_to_string(out.join("texts/de.ftl")).unwrap().contains("Bei ACME anmelden"));
    let leftovers: Vec<_> = std::fs::read_dir(out.join("texts")).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with('.')).collect();
    assert!(leftovers.is_empty(), "no temporary files are left: {leftovers:?}");
}

// ---- against a hostile server ----

/// What the fake server answers a path with.
#[derive(Clone)]
enum Reply {
    Json(u16, String),
    /// A body that never ends.
    Endless,
}

/// A server on a free loopback port answering `routes(path)` (404 when `None`); the paths
/// asked for are recorded. Its base URL and the record.
async fn fake_server(routes: impl Fn(&str) -> Option<Reply> + Send + Sync + 'static) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
    let (record, routes) = (seen.clone(), std::sync::Arc::new(routes));
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (record, routes) = (record.clone(), routes.clone());
            tokio::spawn(async move {
                let mut head = vec![];
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let path = head.split(' ').nth(1).unwrap_or("").to_owned();
                record.lock().unwrap().push(path.clone());
                match routes(&path) {
                    Some(Reply::Json(status, body)) => {
                        let resp = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
                        let _ = sock.write_all(resp.as_bytes()).await;
                    }
                    Some(Reply::Endless) => {
                        let _ = sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n[").await;
                        let chunk = vec![b' '; 64 * 1024];
                        while sock.write_all(&chunk).await.is_ok() {}
                    }
                    None => {
                        let _ = sock.write_all(b"HTTP/1.1 404 X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
                    }
                }
            });
        }
    });
    (base, seen)
}

const ACME_THEME: &str = "/api/admin/v1/tenants/acme/theme";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_writes_nothing_of_a_layer_that_is_no_valid_folder() {
    let layers = [
        // A key with a line break would write lines of its own into texts/de.ftl.
        (serde_json::json!({ "texts": { "de": { "sign-in\nsign-up": "injected" } } }), "not a text key"),
        (serde_json::json!({ "texts": { "../../evil": { "sign-in": "x" } } }), "not a supported locale"),
        // Checked as the folder would be: a key no page has, a text that is no Fluent.
        (serde_json::json!({ "texts": { "de": { "no-such-text": "x" } } }), "no-such-text"),
        (serde_json::json!({ "texts": { "de": { "sign-in": "{ $who }" } } }), "sign-in"),
        (serde_json::json!({ "frames": { "../x": "{{ form }}" } }), "not a page id"),
    ];
    for (layer, named) in layers {
        let body = layer.to_string();
        let (base, _) = fake_server(move |p| (p == ACME_THEME).then(|| Reply::Json(200, body.clone()))).await;
        let out = folder(&[]);
        let e = theme::pull(&Api::new(&base, "t").unwrap(), &out, &Target { tenant: "acme".into(), workspace: None, client: None }).await.unwrap_err().to_string();
        assert!(e.contains(named), "{layer}: {e}");
        assert_eq!(std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0), 0, "{layer}: nothing written");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_read_only_up_to_a_limit() {
    let (base, _) = fake_server(|p| match p {
        ACME_THEME | "/acme/ops/.well-known/openid-configuration" => Some(Reply::Endless),
        _ => None,
    })
    .await;
    let tenant = Target { tenant: "acme".into(), workspace: None, client: None };
    let limit = std::time::Duration::from_secs(20);
    let e = tokio::time::timeout(limit, theme::pull(&Api::new(&base, "t").unwrap(), &folder(&[]), &tenant)).await.expect("the pull stops reading").unwrap_err();
    assert!(e.to_string().contains("larger than"), "{e}");
    let e = tokio::time::timeout(limit, Api::with_client(&base, &format!("{base}/acme/ops"), "id", "secret")).await.expect("discovery stops reading").err().unwrap();
    assert!(e.to_string().contains("larger than"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_go_only_to_https_or_this_machine_and_the_issuers_token_endpoint() {
    for url in ["http://id.example.com", "ftp://127.0.0.1", "http://127.0.0.1.example.com", "not a url"] {
        assert!(Api::new(url, "t").is_err(), "{url}");
        assert!(Api::with_client("https://id.example.com", url, "id", "secret").await.is_err(), "issuer {url}");
    }
    for url in ["https://id.example.com", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:8080"] {
        assert!(Api::new(url, "t").is_ok(), "{url}");
    }
    // A discovery document naming a token endpoint elsewhere: the secret is not sent.
    let (elsewhere, asked) = fake_server(|_| Some(Reply::Json(200, "{\"access_token\":\"t\"}".into()))).await;
    let doc = serde_json::json!({ "token_endpoint": format!("{elsewhere}/token") }).to_string();
    let (issuer, _) = fake_server(move |p| (p == "/acme/ops/.well-known/openid-configuration").then(|| Reply::Json(200, doc.clone()))).await;
    let e = Api::with_client(&issuer, &format!("{issuer}/acme/ops"), "id", "secret").await.err().expect("refused").to_string();
    assert!(e.contains("origin"), "{e}");
    assert!(asked.lock().unwrap().is_empty(), "nothing was sent to the other endpoint");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_text_is_printed_without_control_characters() {
    let detail = serde_json::json!({ "detail": "\u{1b}]0;pwned\u{7}\u{1b}[2Jgone \u{202e}txt.exe" }).to_string();
    let (base, _) = fake_server(move |_| Some(Reply::Json(500, detail.clone()))).await;
    let e = theme::pull(&Api::new(&base, "t").unwrap(), &folder(&[]), &Target { tenant: "acme".into(), workspace: None, client: None }).await.unwrap_err().to_string();
    assert!(e.contains("gone") && e.contains("\\u{1b}"), "{e}");
    assert!(!e.chars().any(|c| c.is_control() || c == '\u{202e}'), "{e:?}");
}

// ---- serve ----

/// The preview server of `dir` on a free port: its base URL.
fn preview(dir: &Path) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(theme::serve(dir.to_path_buf(), listener).unwrap());
    base
}

fn copy_template(id: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/templates").join(id);
    let files: Vec<(String, String)> = portcullis::theme::folder::read_dir(&src).unwrap().into_iter().map(|(k, v)| (k, String::from_utf8(v).unwrap())).collect();
    folder(&files.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_renders_every_page_in_every_locale_light_and_dark() {
    let dir = copy_template("banking");
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("assets/logo.svg"), LOGO).unwrap();
    let toml = std::fs::read_to_string(dir.join("theme.toml")).unwrap();
    std::fs::write(dir.join("theme.toml"), format!("logo_url = \"assets/logo.svg\"\n{toml}")).unwrap();
    let base = preview(&dir);
    let http = http();
    let index = http.get(&base).header("accept-language", "fr").send().await.unwrap().text().await.unwrap();
    assert!(index.contains("lang=\"fr\"") && index.contains("Aperçu du thème"), "the index in the browser's language");
    assert!(!index.contains("data-problems"), "the template has no problems: {index}");
    for id in portcullis::views::PageId::ALL {
        for lang in portcullis::locale::LOCALES {
            for scheme in ["light", "dark"] {
                let link = format!("/page/{id}?locale={lang}&amp;scheme={scheme}\" aria-label=\"{id} {lang}: ");
                assert!(index.contains(&link), "the index links {link}");
                let resp = http.get(format!("{base}/page/{id}?locale={lang}&scheme={scheme}")).send().await.unwrap();
                assert_eq!(resp.status(), 200, "{id} {lang} {scheme}");
                let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_owned();
                let html = resp.text().await.unwrap();
                assert_eq!(Form::page_id(&html).as_deref(), Some(id.as_str()));
                assert!(html.contains(&format!("<html lang=\"{lang}\" dir=\"{}\"", if *lang == "ar" { "rtl" } else { "ltr" })), "{id} {lang}");
                assert!(html.contains(&format!("data-color-scheme=\"{scheme}\"")), "{id} {scheme}");
                assert!(html.contains("--pc-color-primary:#0b3a66"), "the folder's tokens");
                // The only script that may run is the reload script, by its nonce.
                let nonce = csp.split("script-src 'nonce-").nth(1).and_then(|r| r.split('\'').next()).unwrap();
                assert!(html.contains(&format!("<script nonce=\"{nonce}\">")), "{id}: the reload script");
                assert!(!csp.contains("unsafe-inline") && csp.contains("form-action 'none'"));
            }
        }
    }
    let login = http.get(format!("{base}/page/login?locale=de")).send().await.unwrap().text().await.unwrap();
    assert!(login.contains("Sicher anmelden"), "the folder's texts");
    let logo = attr_values(&login, "src").into_iter().find(|s| s.starts_with("/static/t/serve/")).expect("the folder's logo");
    let resp = http.get(format!("{base}{logo}")).send().await.unwrap();
    assert!(resp.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert_eq!(resp.text().await.unwrap(), LOGO);
    assert_eq!(http.get(format!("{base}/static/css/app.css")).send().await.unwrap().status(), 200);
    assert_eq!(http.get(format!("{base}/page/no-such-page")).send().await.unwrap().status(), 404);
}

/// A page of another site whose name was made to point at 127.0.0.1 (DNS rebinding)
/// reads nothing: the preview answers only requests naming this machine as the host.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_only_requests_for_this_machine() {
    let dir = folder(&[("theme.toml", "product_name = \"Secret Brand\"\n")]);
    let base = preview(&dir);
    let port = base.rsplit(':').next().unwrap().to_owned();
    let http = http();
    for path in ["/", "/page/login?locale=en", "/_serve/version", "/static/css/app.css", "/no-such-path"] {
        for host in [format!("rebind.example.com:{port}"), "127.0.0.1".into(), "127.0.0.1:1".into(), format!("localhost.example.com:{port}")] {
            let resp = http.get(format!("{base}{path}")).header("host", &host).header("accept-language", "de").send().await.unwrap();
            assert_eq!(resp.status(), 421, "{path} for {host}");
            let text = resp.text().await.unwrap();
            assert!(!text.contains("Secret Brand") && text.contains("Diese Vorschau antwortet nur auf diesem Rechner") && text.contains(&port), "{text}");
        }
        for host in [format!("localhost:{port}"), format!("LOCALHOST:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")] {
            let resp = http.get(format!("{base}{path}")).header("host", &host).send().await.unwrap();
            assert_eq!(resp.status(), if path == "/no-such-path" { 404 } else { 200 }, "{path} for {host}");
        }
    }
    let page = http.get(format!("{base}/page/login?locale=en")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Secret Brand"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_signals_a_change_and_shows_problems_by_file() {
    let dir = folder(&[("theme.toml", "[tokens]\n\"--pc-color-primary\" = \"#1f4fd1\"\n"), ("texts/en.ftl", "sign-in = Before\n")]);
    let base = preview(&dir);
    let http = http();
    let version = || async { http.get(format!("{base}/_serve/version")).send().await.unwrap().text().await.unwrap() };
    let page = || async { http.get(format!("{base}/page/login?locale=en")).send().await.unwrap().text().await.unwrap() };
    let v1 = version().await;
    assert_eq!(version().await, v1, "no change, no signal");
    let html = page().await;
    assert!(html.contains("Before") && html.contains(&format!("var v=\"{v1}\"")), "the page knows the version it shows");

    std::fs::write(dir.join("texts/en.ftl"), "sign-in = After the change\n").unwrap();
    let v2 = version().await;
    assert_ne!(v2, v1, "a changed file moves the signal");
    assert!(page().await.contains("After the change"));

    std::fs::write(dir.join("theme.toml"), "[tokens]\n\"--pc-color-text\" = \"#cccccc\"\n").unwrap();
    assert_ne!(version().await, v2);
    for html in [page().await, http.get(&base).send().await.unwrap().text().await.unwrap()] {
        assert!(html.contains("data-problems=\"2\"") && html.contains("role=\"alert\""), "text on the surface and on the background: {html}");
        assert!(html.contains("<code>theme.toml</code>") && html.contains("tokens.&quot;--pc-color-text&quot;"), "the file and setting are named: {html}");
        assert!(html.contains("<script nonce="), "a problems page reloads too, once fixed");
    }
}

// ---- the binary ----

async fn the_binary_pushes_and_pulls_with_the_token_of_the_environment(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.client_token("acme-admin").await;
    let run = |args: Vec<String>, token: String| async move {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
                .args(&args)
                .env("PORTCULLIS_ADMIN_TOKEN", token)
                .env_remove("PORTCULLIS_CLIENT_SECRET")
                .output()
                .unwrap()
        })
        .await
        .unwrap()
    };
    let dir = acme_folder();
    let push = |dir: &Path| vec!["theme".into(), "push".into(), dir.display().to_string(), "--url".into(), app.base.clone(), "--tenant".into(), "acme".into(), "--workspace".into(), "shop".into()];
    let out = run(push(&dir), token.clone()).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "published version 1 (1 new assets)");
    let out = run(push(&dir), token.clone()).await;
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("unchanged: version 1"), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(sign_in_page(&app).await.contains("Bei ACME anmelden"));

    let pulled = folder(&[]);
    let mut pull = push(&pulled);
    pull[1] = "pull".into();
    let out = run(pull, token.clone()).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(pulled.join("texts/de.ftl")).unwrap().contains("sign-in = Bei ACME anmelden"));

    // A refusal: a failing exit status and the file and setting on stderr.
    let bad = folder(&[("theme.toml", "[tokens]\n\"--pc-color-link\" = \"#dddddd\"\n")]);
    let out = run(push(&bad), token.clone()).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("theme.toml: tokens.\"--pc-color-link\""), "{}", String::from_utf8_lossy(&out.stderr));
    // Without credentials nothing is sent.
    let out = run(push(&dir), String::new()).await;
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("PORTCULLIS_ADMIN_TOKEN"));
    // --client needs --workspace.
    let out = run(vec!["theme".into(), "push".into(), dir.display().to_string(), "--url".into(), app.base.clone(), "--tenant".into(), "acme".into(), "--client".into(), "shop-web".into()], token).await;
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--workspace"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_a_folder() {
    let dir = copy_template("retail");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(["theme", "serve", &dir.display().to_string(), "--listen", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut page = None;
    for _ in 0..100 {
        if let Ok(r) = http().get(format!("http://127.0.0.1:{port}/page/register?locale=es")).send().await {
            page = Some(r.text().await.unwrap());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    child.kill().unwrap();
    let _ = child.wait();
    let page = page.expect("the preview answers");
    assert!(page.contains("Únete") && page.contains("lang=\"es\""), "{page}");

    // Told to listen beyond loopback: it warns, and still answers only for this machine.
    let port = std::net::TcpListener::bind("0.0.0.0:0").unwrap().local_addr().unwrap().port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(["theme", "serve", &dir.display().to_string(), "--listen", &format!("0.0.0.0:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut statuses = None;
    for _ in 0..100 {
        if let Ok(r) = http().get(format!("http://127.0.0.1:{port}/")).send().await {
            let other = http().get(format!("http://127.0.0.1:{port}/")).header("host", format!("192.0.2.7:{port}")).send().await.unwrap();
            statuses = Some((r.status().as_u16(), other.status().as_u16()));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(statuses, Some((200, 421)), "loopback answered, another host name refused");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: 0.0.0.0:") && stderr.contains("not a loopback address"), "{stderr}");
}

/// The preview in headless Chromium (tests/browser/theme_serve.mjs): the reload script runs
/// under the CSP, a saved file reloads the page, screenshots go to the screenshots folder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reloads_the_page_in_headless_chromium() {
    let dir = copy_template("healthcare");
    let base = preview(&dir);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let (d, b, s) = (dir.display().to_string(), base.clone(), shots.display().to_string());
    let out = tokio::task::spawn_blocking(move || std::process::Command::new("node").current_dir(browser_dir).args(["theme_serve.mjs", &b, &d, &s]).output())
        .await
        .unwrap()
        .expect("node on PATH (scripts/test installs it)");
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
