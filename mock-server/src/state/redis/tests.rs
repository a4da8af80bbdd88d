//! The Redis store against a real redis-server: what only Redis can get wrong.
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use serde_json::json;

use super::super::store_tests::{self, Fixture};
use super::*;
use crate::testing::RedisServer;

/// The store bound in these tests: small, so the global bound is reached in a few writes.
const TEST_MAX_RECORDS: usize = 20;
/// Short, so the fault tests run quickly.
const TEST_TIMEOUT: Duration = Duration::from_millis(500);

/// One redis-server per test; each world is a namespace on it.
struct Redis {
    server: RedisServer,
}

impl Fixture for Redis {
    type Store = RedisStore;

    async fn start(test: &str) -> Option<Self> {
        RedisServer::start_or_skip(test).map(|server| Self { server })
    }

    async fn store(&self, world: &str) -> RedisStore {
        RedisStore::connect(&self.server.url(), world, Duration::from_secs(5))
            .await
            .unwrap()
            .with_max_records(TEST_MAX_RECORDS)
    }

    fn max_records(&self) -> usize {
        TEST_MAX_RECORDS
    }
}

store_tests::conformance_tests!(Redis);

/// The full name of this module's test `test`, for a skip message.
fn named(test: &str) -> String {
    format!("{}::{test}", module_path!())
}

fn record(id: &str) -> Stored {
    Stored {
        id: id.to_owned(),
        record: json!({ "id": id }),
        version: 1,
        etag: None,
        seeded: false,
    }
}

fn insert(id: &str, max: usize) -> Write {
    Write::Insert {
        stored: record(id),
        max,
        unique: vec![],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_concurrent_inserts_from_two_replicas_leave_exactly_the_quota() {
    let Some(server) = RedisServer::start_or_skip(&named(
        "forty_concurrent_inserts_from_two_replicas_leave_exactly_the_quota",
    )) else {
        return;
    };
    let timeout = Duration::from_secs(5);
    let replicas = [
        Arc::new(
            RedisStore::connect(&server.url(), "shared", timeout)
                .await
                .unwrap(),
        ),
        Arc::new(
            RedisStore::connect(&server.url(), "shared", timeout)
                .await
                .unwrap(),
        ),
    ];
    let scope = ScopeKey::new("huawei", "ai-api-keys", &["project", "instance", "app"]);
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = Arc::clone(&replicas[i % 2]);
            let scope = scope.clone();
            tokio::spawn(async move { store.write(&scope, insert(&format!("key-{i}"), 5)).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap().unwrap());
    }

    let done = outcomes.iter().filter(|o| **o == Outcome::Done).count();
    let full = outcomes.iter().filter(|o| **o == Outcome::Full).count();
    assert_eq!((done, full), (5, 35), "{outcomes:?}");
    for replica in &replicas {
        assert_eq!(replica.list(&scope).await.unwrap().records.len(), 5);
    }
}

#[tokio::test]
async fn calls_fail_within_the_timeout_while_redis_is_down_and_succeed_once_it_is_back() {
    let Some(mut server) = RedisServer::start_or_skip(&named(
        "calls_fail_within_the_timeout_while_redis_is_down_and_succeed_once_it_is_back",
    )) else {
        return;
    };
    let store = RedisStore::connect(&server.url(), "fault", TEST_TIMEOUT)
        .await
        .unwrap();
    let scope = ScopeKey::new("acme", "keys", &["p"]);
    let documented = ScopeKey::new("acme", "keys", &["documented"]);
    let seeds = [(documented.clone(), vec![record("sample")])];
    store.seed(&seeds).await.unwrap();
    assert_eq!(
        store.write(&scope, insert("a", 5)).await.unwrap(),
        Outcome::Done
    );

    server.stop();
    // Each call returns (the outer bound only catches a hang) with an error.
    let bound = TEST_TIMEOUT * 4;
    let started = Instant::now();
    let failed = [
        tokio::time::timeout(bound, store.get(&scope, "a"))
            .await
            .map(|r| r.err()),
        tokio::time::timeout(bound, store.list(&scope))
            .await
            .map(|r| r.err()),
        tokio::time::timeout(bound, store.write(&scope, insert("b", 5)))
            .await
            .map(|r| r.err()),
        tokio::time::timeout(bound, store.reset(None, &seeds))
            .await
            .map(|r| r.err()),
        tokio::time::timeout(bound, store.dump())
            .await
            .map(|r| r.err()),
    ];
    eprintln!(
        "5 calls against a stopped Redis took {:?}",
        started.elapsed()
    );
    for (call, failed) in failed.into_iter().enumerate() {
        let error = failed
            .unwrap_or_else(|_| panic!("call {call} hung"))
            .unwrap_or_else(|| panic!("call {call} succeeded with Redis stopped"));
        eprintln!("{error}");
        assert!(
            error.to_string().contains("redis redis://127.0.0.1:"),
            "{error}"
        );
    }

    // Back on the same port, empty (no persistence): the same store recovers by itself.
    server.restart().unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let outcome = loop {
        match store.write(&scope, insert("c", 5)).await {
            Ok(outcome) => break outcome,
            Err(error) if Instant::now() < deadline => {
                eprintln!("not yet: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("no recovery after the restart: {error}"),
        }
    };
    // The write script was loaded again into the new Redis.
    assert_eq!(outcome, Outcome::Done);
    let listing = store.list(&scope).await.unwrap();
    assert_eq!(*listing.records, vec![record("c")]);
    assert_eq!(store.get(&scope, "c").await.unwrap(), Some(record("c")));
    // The restarted Redis was empty: the seeds were put back before that first write.
    let listing = store.list(&documented).await.unwrap();
    assert_eq!(
        (listing.records.to_vec(), listing.pristine),
        (vec![record("sample")], true)
    );
}

#[tokio::test]
async fn calls_fail_within_the_timeout_while_redis_hangs() {
    let Some(mut server) =
        RedisServer::start_or_skip(&named("calls_fail_within_the_timeout_while_redis_hangs"))
    else {
        return;
    };
    let store = RedisStore::connect(&server.url(), "hang", TEST_TIMEOUT)
        .await
        .unwrap();
    let scope = ScopeKey::new("acme", "keys", &["p"]);
    server.pause();
    let bound = TEST_TIMEOUT * 4;
    let get = tokio::time::timeout(bound, store.get(&scope, "a"))
        .await
        .expect("get hung");
    let write = tokio::time::timeout(bound, store.write(&scope, insert("a", 5)))
        .await
        .expect("write hung");
    // Our bound or the connection's own response timeout, whichever fires first.
    for error in [get.unwrap_err(), write.unwrap_err()] {
        eprintln!("{error}");
        assert!(
            error.to_string().contains("redis redis://127.0.0.1:"),
            "{error}"
        );
    }

    server.resume();
    // The write that timed out may still have been applied once Redis resumed: the
    // engine answered "unavailable", and a retry with the same id says taken.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match store.get(&scope, "a").await {
            Ok(_) => break,
            Err(error) if Instant::now() < deadline => {
                eprintln!("not yet: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("no recovery after resume: {error}"),
        }
    }
    assert_eq!(
        store.write(&scope, insert("b", 5)).await.unwrap(),
        Outcome::Done
    );
}

#[tokio::test]
async fn connecting_to_a_redis_that_is_down_or_hangs_fails_within_the_timeout() {
    // Down: nothing listens on the port.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("redis://:hunter2%21@127.0.0.1:{port}/0");
    let down = tokio::time::timeout(
        TEST_TIMEOUT * 4,
        RedisStore::connect(&url, "ns", TEST_TIMEOUT),
    )
    .await
    .expect("connect hung")
    .unwrap_err()
    .to_string();
    assert!(!down.contains("hunter2"), "{down}");
    assert!(down.contains(&format!("127.0.0.1:{port}")), "{down}");

    // Hangs: the port accepts connections (the kernel's backlog) but never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("redis://user:hunter2@{}/0", silent.local_addr().unwrap());
    let hangs = tokio::time::timeout(
        TEST_TIMEOUT * 4,
        RedisStore::connect(&url, "ns", TEST_TIMEOUT),
    )
    .await
    .expect("connect hung")
    .unwrap_err()
    .to_string();
    assert!(!hangs.contains("hunter2"), "{hangs}");
}

#[tokio::test]
async fn bad_namespaces_and_urls_are_refused_without_secrets() {
    for namespace in ["", "a:b", "a#b", "a*", "with space", &"x".repeat(129)] {
        let error = RedisStore::connect("redis://127.0.0.1:1/0", namespace, TEST_TIMEOUT)
            .await
            .unwrap_err();
        assert!(error.to_string().contains("namespace"), "{error}");
    }
    let error = RedisStore::connect("redis://u:hunter2@127.0.0.1:notaport/0", "ns", TEST_TIMEOUT)
        .await
        .unwrap_err()
        .to_string();
    assert!(!error.contains("hunter2"), "{error}");
}

#[test]
fn secrets_are_found_and_scrubbed() {
    let secrets = secrets_of("redis://user:p%40ss@host:6379/0");
    assert_eq!(secrets, ["p%40ss", "p@ss"]);
    assert_eq!(scrub("a p@ss and p%40ss", &secrets), "a *** and ***");
    assert_eq!(secrets_of("redis://:pw@h/0"), ["pw"]);
    assert_eq!(secrets_of("redis+unix:///tmp/r.sock?db=1&pass=pw"), ["pw"]);
    assert!(secrets_of("redis://host:6379/0").is_empty());
    assert_eq!(glob_escape("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
}

#[tokio::test]
async fn every_key_is_under_the_namespace() {
    let Some(server) = RedisServer::start_or_skip(&named("every_key_is_under_the_namespace"))
    else {
        return;
    };
    let store = RedisStore::connect(&server.url(), "world-1", TEST_TIMEOUT)
        .await
        .unwrap();
    let scope = ScopeKey::new("acme", "keys", &["p"]);
    store
        .seed(&[(
            ScopeKey::new("acme", "keys", &["seeded"]),
            vec![record("s")],
        )])
        .await
        .unwrap();
    assert_eq!(
        store.write(&scope, insert("a", 5)).await.unwrap(),
        Outcome::Done
    );

    let mut con = store.manager.clone();
    let mut keys: Vec<String> = ::redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut con)
        .await
        .unwrap();
    keys.sort();
    assert_eq!(
        keys,
        [
            "world-1#pristine",
            "world-1#seeded",
            "world-1#seq",
            "world-1#total",
            "world-1:acme/keys/p",
            "world-1:acme/keys/seeded",
        ]
    );
}
