//! docs/deploy.md's recipes, run as written: the shell blocks in the site
//! folder, the nginx blocks in a real nginx and the `.htaccess` rules in a
//! real Apache (Debian's, on 127.0.0.1 only), then every old address asked
//! for and followed to its page. Also the install script and the Netlify,
//! Cloudflare and GitHub Pages build commands against a release served on
//! this machine, and the release workflow read as YAML.
//!
//! Without nginx, Apache or rsync the server tests say SKIPPED;
//! `HANDOUT_REQUIRE_SERVERS=1` (as in `.ci/run`) makes that a failure.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn block(name: &str) -> String {
    common::doc_blocks("docs/deploy.md")
        .remove(name)
        .unwrap_or_else(|| panic!("docs/deploy.md has no block `{name}`"))
}

/// Runs a shell block from the docs in `dir`, with `handout` on the PATH.
fn sh(script: &str, dir: &Path, env: &[(&str, &str)]) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_handout"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .envs(env.iter().copied())
        .output()
        .expect("run bash");
    assert!(
        output.status.success(),
        "{script}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The program, or None (and SKIPPED, or a failure when they are required).
fn program(name: &str) -> Option<PathBuf> {
    let found = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("HANDOUT_REQUIRE_SERVERS").as_deref() != Ok("1"),
            "{name} is required (HANDOUT_REQUIRE_SERVERS=1) but not installed"
        );
        eprintln!("SKIPPED: {name} is not installed (apt-get install {name})");
    }
    found
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(mut command: Command, port: u16) -> Server {
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");
    let server = Server(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// One HTTP/1.0 GET: status, `Location`, body.
fn get(port: u16, path: &str) -> (u16, Option<String>, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("read");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let location = head.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        key.eq_ignore_ascii_case("location")
            .then(|| value.trim().to_string())
    });
    (status, location, body.to_string())
}

/// `/old/` answered with a 301 to `to`, and `to` with its page.
fn assert_moved(port: u16, from: &str, to: &str) {
    let (status, location, _) = get(port, from);
    assert_eq!(status, 301, "{from}");
    let location = location.expect("a Location");
    let path = location
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or(location.clone());
    assert_eq!(path, to, "{from} -> {location}");
    let (status, _, body) = get(port, &path);
    assert_eq!(status, 200, "{path}");
    let canonical = format!("<link rel=\"canonical\" href=\"http://127.0.0.1:{port}{to}\"");
    assert!(body.contains(&canonical), "{path}: {body}");
}

/// The basic fixture with old addresses on pages of every kind, its
/// `base_url` on this machine (with `folder`, like `/clinic/`).
fn site_with_aliases(port: u16, folder: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    let config = site.read("site.yaml").replace(
        "base_url: https://example.org/",
        &format!("base_url: http://127.0.0.1:{port}{folder}"),
    );
    site.write("site.yaml", &config);
    for (rel, aliases) in [
        (
            "content/articles/back-pain.md",
            "/2019/05/14/back-pain/, /back.html",
        ),
        ("content/about.md", "/about-us/"),
        ("content/authors/ann-lee.md", "/author/ann/"),
    ] {
        let text = site.read(rel);
        site.write(
            rel,
            &text.replacen("---\n", &format!("---\naliases: [{aliases}]\n"), 1),
        );
    }
    site
}

/// Every line of the built `_redirects`, as (from, to).
fn redirects(site: &TestSite) -> Vec<(String, String)> {
    let lines: Vec<(String, String)> = site
        .read("public/_redirects")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split(' ');
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
        })
        .collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    lines
}

/// Folders readable by the server's user (it drops root's rights).
fn open_up(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let mode = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode));
    }
    let mut up = dir.parent();
    while let Some(parent) = up.filter(|p| p.starts_with(std::env::temp_dir())) {
        let _ = std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o755));
        up = parent.parent();
    }
}

fn apache(docroot: &Path, scratch: &Path, port: u16) -> Option<Server> {
    let binary = program("apache2")?;
    let modules = "/usr/lib/apache2/modules";
    let conf = format!(
        "ServerRoot {scratch}\n\
         LoadModule mpm_event_module {modules}/mod_mpm_event.so\n\
         LoadModule authz_core_module {modules}/mod_authz_core.so\n\
         LoadModule dir_module {modules}/mod_dir.so\n\
         LoadModule mime_module {modules}/mod_mime.so\n\
         LoadModule alias_module {modules}/mod_alias.so\n\
         Listen 127.0.0.1:{port}\n\
         ServerName 127.0.0.1\n\
         PidFile {scratch}/apache.pid\n\
         DefaultRuntimeDir {scratch}\n\
         Mutex file:{scratch} default\n\
         ErrorLog {scratch}/error.log\n\
         User nobody\n\
         Group nogroup\n\
         TypesConfig /etc/mime.types\n\
         DirectoryIndex index.html\n\
         DocumentRoot {docroot}\n\
         <Directory {docroot}>\n  AllowOverride All\n  Require all granted\n</Directory>\n",
        scratch = scratch.display(),
        docroot = docroot.display()
    );
    std::fs::write(scratch.join("apache.conf"), conf).expect("write conf");
    open_up(docroot);
    let mut command = Command::new(binary);
    command.args(["-X", "-f"]).arg(scratch.join("apache.conf"));
    Some(start(command, port))
}

fn nginx(server_block: &str, scratch: &Path, port: u16) -> Option<Server> {
    let binary = program("nginx")?;
    let conf = format!(
        "master_process off;\ndaemon off;\nuser nobody nogroup;\npid {s}/nginx.pid;\nerror_log {s}/error.log;\n\
         events {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  access_log off;\n\
         client_body_temp_path {s}/body;\n  proxy_temp_path {s}/proxy;\n  fastcgi_temp_path {s}/fastcgi;\n\
         uwsgi_temp_path {s}/uwsgi;\n  scgi_temp_path {s}/scgi;\n{server_block}}}\n",
        s = scratch.display()
    );
    std::fs::write(scratch.join("nginx.conf"), conf).expect("write conf");
    let mut command = Command::new(binary);
    command
        .arg("-p")
        .arg(scratch)
        .arg("-c")
        .arg(scratch.join("nginx.conf"));
    Some(start(command, port))
}

/// Shared hosting: the Apache + rsync block, then every old address.
fn shared_hosting(folder: &str, block_name: &str) {
    if program("rsync").is_none() || program("apache2").is_none() {
        return;
    }
    let port = free_port();
    let site = site_with_aliases(port, folder);
    let scratch = tempfile::tempdir().expect("temp");
    let docroot = scratch.path().join("public_html");
    // A page removed from the site is removed from the host.
    std::fs::create_dir_all(docroot.join(folder.trim_matches('/'))).expect("mkdir");
    std::fs::write(
        docroot
            .join(folder.trim_start_matches('/'))
            .join("old.html"),
        "old",
    )
    .expect("write");
    let target = if folder == "/" {
        format!("{}/", docroot.display())
    } else {
        docroot.display().to_string()
    };
    sh(&block(block_name), site.root(), &[("DEPLOY_TO", &target)]);
    let deployed = docroot.join(folder.trim_start_matches('/'));
    assert!(deployed.join("index.html").is_file());
    assert!(!deployed.join("old.html").exists(), "rsync --delete");
    assert!(deployed.join(".htaccess").is_file());
    let Some(_server) = apache(&docroot, scratch.path(), port) else {
        return;
    };
    for (from, to) in redirects(&site) {
        assert!(
            from.starts_with(folder) && to.starts_with(folder),
            "{from} {to}"
        );
        assert_moved(port, &from, &to);
    }
    assert_not_found_page(port, folder);
}

/// A missing page is answered with the site's own 404 page.
fn assert_not_found_page(port: u16, folder: &str) {
    let (status, _, body) = get(port, &format!("{folder}no-such-page/"));
    assert_eq!(status, 404);
    assert!(
        body.contains(&format!("href=\"{folder}style.css")),
        "{body}"
    );
}

#[test]
fn shared_hosting_with_apache_and_rsync() {
    shared_hosting("/", "apache-rsync");
}

#[test]
fn shared_hosting_in_a_sub_folder() {
    shared_hosting("/clinic/", "apache-rsync-folder");
}

/// nginx: the build block in the site folder, then the server block with
/// the docs' example folder and port made this machine's.
fn own_server(folder: &str, block_name: &str) {
    if program("nginx").is_none() {
        return;
    }
    let port = free_port();
    let site = site_with_aliases(port, folder);
    sh(&block("nginx-build"), site.root(), &[]);
    assert!(site.path("redirects.conf").is_file());
    let scratch = tempfile::tempdir().expect("temp");
    let other_site = scratch.path().join("html");
    std::fs::create_dir_all(&other_site).expect("mkdir");
    let server_block = block(block_name)
        .replace("/srv/clinic", &site.root().display().to_string())
        .replace("/var/www/html", &other_site.display().to_string())
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"));
    open_up(site.root());
    let Some(_server) = nginx(&server_block, scratch.path(), port) else {
        return;
    };
    for (from, to) in redirects(&site) {
        assert_moved(port, &from, &to);
    }
    // An old folder address without its final slash gets there too.
    let (status, location, _) = get(port, &format!("{folder}about-us"));
    assert_eq!(status, 301);
    assert!(location.is_some_and(|l| l.ends_with(&format!("{folder}about-us/"))));
    assert_not_found_page(port, folder);
}

#[test]
fn own_server_with_nginx() {
    own_server("/", "nginx-root");
}

#[test]
fn own_server_with_nginx_in_a_sub_folder() {
    own_server("/clinic/", "nginx-folder");
}

/// A release as the release workflow publishes it, served over HTTP on
/// this machine: `/v0.1.0/handout-<target>.tar.gz` and `SHA256SUMS`.
struct Release {
    port: u16,
    _dir: tempfile::TempDir,
}

impl Release {
    fn serve(corrupt: bool) -> Release {
        let dir = tempfile::tempdir().expect("temp");
        let files = dir.path().join("v0.1.0");
        let stage = dir.path().join("stage");
        std::fs::create_dir_all(&files).expect("mkdir");
        std::fs::create_dir_all(&stage).expect("mkdir");
        // The program in the archive hands over to the one this test
        // built: packing a 100 MB debug build ten times would be most of
        // this test's time.
        let program = stage.join("handout");
        std::fs::write(
            &program,
            format!(
                "#!/bin/sh\nexec '{}' \"$@\"\n",
                env!("CARGO_BIN_EXE_handout")
            ),
        )
        .expect("write");
        std::fs::set_permissions(
            &program,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
        std::fs::copy(Path::new(ROOT).join("README.md"), stage.join("README.md")).expect("copy");
        let mut sums = String::new();
        for target in ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"] {
            let name = format!("handout-{target}.tar.gz");
            let status = Command::new("tar")
                .arg("-czf")
                .arg(files.join(&name))
                .arg("-C")
                .arg(&stage)
                .args(["handout", "README.md"])
                .status()
                .expect("tar");
            assert!(status.success());
            let sum = Command::new("sha256sum")
                .arg(&name)
                .current_dir(&files)
                .output()
                .expect("sha256sum");
            sums.push_str(&String::from_utf8_lossy(&sum.stdout));
        }
        if corrupt {
            sums = sums.replacen(|c: char| c.is_ascii_hexdigit(), "0", 8);
        }
        std::fs::write(files.join("SHA256SUMS"), sums).expect("write");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let root = dir.path().to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve_file(stream, &root);
            }
        });
        Release { port, _dir: dir }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn serve_file(mut stream: TcpStream, root: &Path) {
    let mut buffer = [0u8; 2048];
    let n = stream.read(&mut buffer).unwrap_or(0);
    let request = String::from_utf8_lossy(&buffer[..n]);
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let file = root.join(path.trim_start_matches('/'));
    let response = match std::fs::read(&file) {
        Ok(bytes) if !path.contains("..") => {
            let mut r =
                format!("HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n", bytes.len()).into_bytes();
            r.extend(bytes);
            r
        }
        _ => b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
    };
    let _ = stream.write_all(&response);
}

/// A site folder as a host's build sees it: the site and the install script.
fn host_checkout() -> TestSite {
    let site = TestSite::fixture("basic");
    std::fs::copy(
        Path::new(ROOT).join("docs/examples/install-handout.sh"),
        site.path("install-handout.sh"),
    )
    .expect("copy");
    site
}

/// Runs a host's build command in `site` with no handout on the PATH but
/// the one the install script fetches.
fn host_build(site: &TestSite, command: &str, env: &[(&str, &str)]) -> std::process::Output {
    Command::new("bash")
        .args(["-eu", "-c", command])
        .current_dir(site.root())
        .env("PATH", "/usr/bin:/bin")
        .envs(env.iter().copied())
        .output()
        .expect("bash")
}

/// `KEY = "value"` lines of a TOML block.
fn toml_value(block: &str, key: &str) -> String {
    block
        .lines()
        .find_map(|l| {
            let (k, v) = l.trim().split_once(" = ")?;
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            (k == key).then(|| v.replace("\\\"", "\""))
        })
        .unwrap_or_else(|| panic!("no {key} in {block}"))
}

#[test]
fn netlify_build_command_installs_a_checked_release_and_builds() {
    let release = Release::serve(false);
    let site = host_checkout();
    let netlify = block("netlify");
    let command = toml_value(&netlify, "command");
    let version = toml_value(&netlify, "HANDOUT_VERSION");
    let repo = toml_value(&netlify, "HANDOUT_REPO");
    let url = release.url();
    let out = host_build(
        &site,
        &command,
        &[
            ("HANDOUT_VERSION", &version),
            ("HANDOUT_REPO", &repo),
            ("HANDOUT_RELEASES", &url),
            ("URL", "https://sunnyside.netlify.example"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("handout 0.1.0 ("));
    assert_eq!(toml_value(&netlify, "publish"), "public");
    assert!(site
        .read("public/index.html")
        .contains("href=\"https://sunnyside.netlify.example/\""));
    // A download that does not match its checksum is refused.
    let bad = Release::serve(true);
    let site = host_checkout();
    let bad_url = bad.url();
    let out = host_build(
        &site,
        &command,
        &[
            ("HANDOUT_VERSION", &version),
            ("HANDOUT_REPO", &repo),
            ("HANDOUT_RELEASES", &bad_url),
            ("URL", "https://x.example"),
        ],
    );
    assert!(!out.status.success());
    assert!(!site.path("public").exists());
}

#[test]
fn cloudflare_build_command_builds_from_site_yaml() {
    let release = Release::serve(false);
    let site = host_checkout();
    let row = block("cloudflare");
    let command = row.split('`').nth(1).expect("a command in backticks");
    let url = release.url();
    let out = host_build(
        &site,
        command,
        &[
            ("HANDOUT_VERSION", "v0.1.0"),
            ("HANDOUT_REPO", "your-org/handout"),
            ("HANDOUT_RELEASES", &url),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site
        .read("public/index.html")
        .contains("href=\"https://example.org/\""));
}

#[test]
fn github_pages_workflow_is_the_example_and_builds_in_a_sub_folder() {
    let example = std::fs::read_to_string(Path::new(ROOT).join("docs/examples/github-pages.yml"))
        .expect("example");
    let doc = block("github-pages");
    assert_eq!(
        doc, example,
        "docs/deploy.md and docs/examples/github-pages.yml differ"
    );
    let workflow: serde_yaml::Value = serde_yaml::from_str(&example).expect("valid YAML");
    let env = &workflow["env"];
    let steps = workflow["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("steps");
    let run = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"].as_str() == Some(name))
            .and_then(|s| s["run"].as_str())
            .unwrap_or_else(|| panic!("no step {name}"))
            .to_string()
    };
    assert!(steps
        .iter()
        .all(|s| s["run"].is_string() || s["uses"].is_string()));
    assert_eq!(workflow["jobs"]["deploy"]["needs"].as_str(), Some("build"));
    let release = Release::serve(false);
    let site = host_checkout();
    let version = env["HANDOUT_VERSION"].as_str().expect("version");
    let repo = env["HANDOUT_REPO"].as_str().expect("repo");
    let url = release.url();
    let vars = [
        ("HANDOUT_VERSION", version),
        ("HANDOUT_REPO", repo),
        ("HANDOUT_RELEASES", url.as_str()),
    ];
    let out = host_build(&site, &run("Install handout"), &vars);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // What configure-pages gives a project site.
    let build = run("Build").replace(
        "${{ steps.pages.outputs.base_url }}",
        "https://your-org.github.io/clinic",
    );
    let out = host_build(&site, &build, &vars);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"/clinic/style.css"), "{home}");
    assert!(home.contains("href=\"https://your-org.github.io/clinic/\""));
}

#[test]
fn release_workflow_builds_every_platform_with_checksums() {
    let text = std::fs::read_to_string(Path::new(ROOT).join(".github/workflows/release.yml"))
        .expect("release.yml");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let tags = workflow["on"]["push"]["tags"].as_sequence().expect("tags");
    assert_eq!(tags[0].as_str(), Some("v*"));
    let build = &workflow["jobs"]["build"];
    let targets: Vec<(&str, &str)> = build["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("matrix")
        .iter()
        .map(|m| {
            (
                m["target"].as_str().unwrap_or(""),
                m["os"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for (target, os) in [
        ("x86_64-unknown-linux-musl", "ubuntu"),
        ("aarch64-unknown-linux-musl", "ubuntu"),
        ("x86_64-apple-darwin", "macos"),
        ("aarch64-apple-darwin", "macos"),
        ("x86_64-pc-windows-msvc", "windows"),
    ] {
        assert!(
            targets
                .iter()
                .any(|(t, o)| *t == target && o.starts_with(os)),
            "{target} on {os}: {targets:?}"
        );
    }
    for job in ["build", "release"] {
        for step in workflow["jobs"][job]["steps"].as_sequence().expect("steps") {
            assert!(
                step["run"].is_string() || step["uses"].is_string(),
                "{step:?}"
            );
        }
    }
    // The archive names are what install-handout.sh downloads.
    assert!(text.contains("tar -czf handout-${{ matrix.target }}.tar.gz"));
    let script = std::fs::read_to_string(Path::new(ROOT).join("docs/examples/install-handout.sh"))
        .expect("script");
    assert!(script.contains("archive=\"handout-$target.tar.gz\""));
    assert!(text.contains("sha256sum handout-* > SHA256SUMS"));
    assert!(text.contains("statically linked"));
}

#[test]
fn version_names_the_commit() {
    let run = common::run(&["--version"], Path::new(ROOT));
    run.assert_ok();
    let expected = format!("handout {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(run.stdout.starts_with(&expected), "{}", run.stdout);
}
