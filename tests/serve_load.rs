//! `handout serve` under load for 10 seconds (examples/serve_load.rs runs
//! the same for a minute): 50 open live-reload streams, 500 requests a
//! second on fresh connections, a page saved every 200 ms. No request may
//! fail, every stream must be told of every rebuild the server finished,
//! and the server's open files and memory must not grow with the load.

mod common;

use std::time::Duration;

use common::load::{failed_rebuild_lines, open_fds, rebuild_lines, run, Load, Target};
use common::serve::Server;
use common::TestSite;

#[test]
fn fifty_streams_and_500_requests_a_second_while_saving_every_200_ms() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let pid = server.process.child.id();
    let idle_fds = open_fds(pid);
    let load = Load {
        clients: 50,
        per_second: 500,
        duration: Duration::from_secs(10),
        save_every: Duration::from_millis(200),
        workers: 16,
    };
    // A save read half-written fails, and is told to every page too.
    let stdout = || rebuild_lines(&server.stdout()) + failed_rebuild_lines(&server.stderr());
    let outcome = run(
        &load,
        &Target {
            pid,
            addr: server.addr,
            edited: site.path("content/articles/back-pain.md"),
            edited_url: "/articles/back-pain/",
            urls: &[
                "/articles/back-pain/",
                "/",
                "/about/",
                "/locations/elm-street/",
                "/style.css",
                "/articles/",
                "/sitemap.xml",
            ],
            rebuilds: &stdout,
        },
    );
    eprintln!("{}", outcome.summary());
    assert_eq!(
        outcome.failed,
        0,
        "{:?}\n{}",
        outcome.failures,
        server.logs()
    );
    assert!(outcome.saves >= 40, "{}", outcome.summary());
    assert!(outcome.rebuilds >= 10, "{}", outcome.summary());
    assert!(
        outcome.untold().is_empty(),
        "{}\n{}",
        outcome.summary(),
        server.logs()
    );
    // The streams are still open at the end: one file each, and a few for
    // requests in flight.
    assert!(
        outcome.fds.1 <= outcome.fds.0 + 16,
        "open files grew: {}",
        outcome.summary()
    );
    assert!(outcome.fds.0 <= idle_fds + load.clients + 16);
    // Threads: the runtime's (one per core), its at most 16 for reading
    // files, the rebuild's pool (one per core) and a few of serve's own.
    // Unbounded, a burst of requests left over a hundred behind, each
    // holding memory.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = outcome.thread_samples.iter().max().copied().unwrap_or(0);
    assert!(
        most > 0 && most as usize <= 16 + 2 * cores + 8,
        "{most} threads at most: {}",
        outcome.summary()
    );
    // Memory: what 10 s of this adds is small and bounded (the debug
    // server's allocator keeps some).
    assert!(
        outcome.rss_kib.1 <= outcome.rss_kib.0 + 64 * 1024,
        "memory grew: {}",
        outcome.summary()
    );
}
