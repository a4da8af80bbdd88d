//! The behaviour every [`Store`] shares, as one suite run against each implementation:
//! [`conformance_tests!`] makes one test per behaviour for a [`Fixture`]. The memory store
//! runs it here; the Redis store in its own module, against a real redis-server.

use serde_json::{Value, json};

use super::memory::MemoryStore;
use super::store::{Listing, MAX_RECORDS, Outcome, ScopeKey, Store, Stored, Write};

/// What one conformance test needs of an implementation.
pub(crate) trait Fixture: Sized {
    /// The store under test.
    type Store: Store;

    /// Sets the implementation up for the test named `test`; `None` when the test is skipped
    /// (the fixture said why, on stderr).
    async fn start(test: &str) -> Option<Self>;

    /// A store of the world named `world`: stores of different worlds share nothing.
    async fn store(&self, world: &str) -> Self::Store;

    /// The most records one of its stores holds across all scopes.
    fn max_records(&self) -> usize;
}

/// One `#[tokio::test]` per shared behaviour, for the [`Fixture`] `$fixture`.
macro_rules! conformance_tests {
    ($fixture:ty) => {
        $crate::state::store_tests::conformance_tests!(
            @each $fixture;
            insert_then_list_in_insertion_order,
            a_full_scope_refuses_inserts,
            the_store_bound_refuses_inserts_in_any_scope,
            a_taken_id_is_refused,
            taken_unique_values_are_refused,
            replace_and_delete_refuse_stale_versions,
            a_scope_is_pristine_until_a_write_succeeds,
            seeds_are_put_in_place_once,
            reset_restores_one_vendor_or_all,
            dump_shows_every_scope_in_key_order,
            namespaces_are_isolated,
        );
    };
    (@each $fixture:ty; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let test = concat!(module_path!(), "::", stringify!($name));
                if let Some(fixture) =
                    <$fixture as $crate::state::store_tests::Fixture>::start(test).await
                {
                    $crate::state::store_tests::$name(&fixture).await;
                }
            }
        )*
    };
}
pub(crate) use conformance_tests;

/// The reference: the memory store.
struct Memory;

impl Fixture for Memory {
    type Store = MemoryStore;

    async fn start(_test: &str) -> Option<Self> {
        Some(Self)
    }

    async fn store(&self, _world: &str) -> MemoryStore {
        MemoryStore::default()
    }

    fn max_records(&self) -> usize {
        MAX_RECORDS
    }
}

mod memory {
    conformance_tests!(super::Memory);
}

// Helpers.

fn scope(vendor: &str, values: &[&str]) -> ScopeKey {
    ScopeKey::new(vendor, "keys", values)
}

fn stored(id: &str, record: Value) -> Stored {
    Stored {
        id: id.to_owned(),
        record,
        version: 1,
        etag: None,
        seeded: false,
    }
}

fn plain(id: &str) -> Stored {
    stored(id, json!({ "id": id }))
}

fn seeded(id: &str) -> Stored {
    Stored {
        seeded: true,
        ..plain(id)
    }
}

async fn insert<S: Store>(store: &S, scope: &ScopeKey, stored: Stored, max: usize) -> Outcome {
    insert_unique(store, scope, stored, max, vec![]).await
}

async fn insert_unique<S: Store>(
    store: &S,
    scope: &ScopeKey,
    stored: Stored,
    max: usize,
    unique: Vec<(&str, Value)>,
) -> Outcome {
    let unique = unique
        .into_iter()
        .map(|(pointer, value)| (pointer.to_owned(), value))
        .collect();
    store
        .write(
            scope,
            Write::Insert {
                stored,
                max,
                unique,
            },
        )
        .await
        .unwrap()
}

async fn ids<S: Store>(store: &S, scope: &ScopeKey) -> Vec<String> {
    let listing = store.list(scope).await.unwrap();
    listing.records.iter().map(|r| r.id.clone()).collect()
}

// The suite.

/// Inserts are listed oldest first (not in id order), read back exactly, and stay in their
/// scope.
pub(crate) async fn insert_then_list_in_insertion_order<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    let here = scope("acme", &["p1"]);
    assert_eq!(store.list(&here).await.unwrap(), Listing::default());
    assert_eq!(store.get(&here, "k2").await.unwrap(), None);

    let rich = Stored {
        id: "k10".to_owned(),
        record: json!({
            "id": "k10",
            "name": "ключ \"10\" ✓",
            "nested": { "list": [1, 2.5, -3, null, true], "empty": {}, "none": [] },
            "big": u64::MAX,
        }),
        version: u64::MAX - 1,
        etag: Some("W/\"0x8D\"".to_owned()),
        seeded: false,
    };
    for stored in [plain("k2"), rich.clone(), plain("k1")] {
        assert_eq!(insert(&store, &here, stored, 10).await, Outcome::Done);
    }

    let listing = store.list(&here).await.unwrap();
    assert!(!listing.pristine);
    assert_eq!(
        *listing.records,
        vec![plain("k2"), rich.clone(), plain("k1")]
    );
    assert_eq!(store.get(&here, "k10").await.unwrap(), Some(rich));
    assert_eq!(store.get(&here, "k3").await.unwrap(), None);

    let there = scope("acme", &["p2"]);
    assert_eq!(*store.list(&there).await.unwrap().records, vec![]);
    assert_eq!(store.get(&there, "k2").await.unwrap(), None);
    assert_eq!(insert(&store, &there, plain("k2"), 10).await, Outcome::Done);
    assert_eq!(ids(&store, &here).await, ["k2", "k10", "k1"]);
}

/// A scope holding `max` records refuses the next insert, whatever the other scopes hold,
/// until one is deleted; full is said before a taken id.
pub(crate) async fn a_full_scope_refuses_inserts<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    let here = scope("acme", &["app"]);
    assert_eq!(insert(&store, &here, plain("a"), 2).await, Outcome::Done);
    assert_eq!(insert(&store, &here, plain("b"), 2).await, Outcome::Done);
    assert_eq!(insert(&store, &here, plain("c"), 2).await, Outcome::Full);
    assert_eq!(insert(&store, &here, plain("a"), 2).await, Outcome::Full);
    assert_eq!(ids(&store, &here).await, ["a", "b"]);
    // A larger max (another resource's quota) still fits.
    assert_eq!(insert(&store, &here, plain("c"), 3).await, Outcome::Done);

    let there = scope("acme", &["other-app"]);
    assert_eq!(insert(&store, &there, plain("a"), 2).await, Outcome::Done);

    let delete = Write::Delete {
        id: "a".to_owned(),
        expected: 1,
    };
    assert_eq!(store.write(&here, delete).await.unwrap(), Outcome::Done);
    assert_eq!(insert(&store, &here, plain("d"), 3).await, Outcome::Done);
    assert_eq!(ids(&store, &here).await, ["b", "c", "d"]);
}

/// The store's own bound counts records across scopes, seeds included, and follows deletes
/// and resets.
pub(crate) async fn the_store_bound_refuses_inserts_in_any_scope<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    let bound = fixture.max_records();
    let bulk: Vec<Stored> = (0..bound - 1).map(|i| seeded(&format!("s{i}"))).collect();
    store
        .seed(&[(ScopeKey::new("bulk", "items", &["1"]), bulk)])
        .await
        .unwrap();

    let one = ScopeKey::new("x", "items", &["1"]);
    let two = ScopeKey::new("x", "items", &["2"]);
    assert_eq!(
        insert(&store, &one, plain("a"), usize::MAX).await,
        Outcome::Done
    );
    assert_eq!(
        insert(&store, &two, plain("b"), usize::MAX).await,
        Outcome::Full
    );

    let delete = Write::Delete {
        id: "a".to_owned(),
        expected: 1,
    };
    assert_eq!(store.write(&one, delete).await.unwrap(), Outcome::Done);
    assert_eq!(
        insert(&store, &two, plain("b"), usize::MAX).await,
        Outcome::Done
    );
    assert_eq!(
        insert(&store, &one, plain("c"), usize::MAX).await,
        Outcome::Full
    );

    // Forgetting x's scopes frees their room.
    store.reset(Some("x"), &[]).await.unwrap();
    assert_eq!(
        insert(&store, &one, plain("c"), usize::MAX).await,
        Outcome::Done
    );
    assert_eq!(
        insert(&store, &two, plain("d"), usize::MAX).await,
        Outcome::Full
    );

    // Resetting everything counts the seeds again, once.
    let bulk: Vec<Stored> = (0..bound - 1).map(|i| seeded(&format!("s{i}"))).collect();
    store
        .reset(None, &[(ScopeKey::new("bulk", "items", &["1"]), bulk)])
        .await
        .unwrap();
    assert_eq!(
        insert(&store, &two, plain("d"), usize::MAX).await,
        Outcome::Done
    );
    assert_eq!(
        insert(&store, &one, plain("e"), usize::MAX).await,
        Outcome::Full
    );
}

/// An id held in the scope is refused (before any unique value); the same id in another
/// scope is not.
pub(crate) async fn a_taken_id_is_refused<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    let here = scope("acme", &["p"]);
    let first = stored("a", json!({ "id": "a", "name": "one" }));
    assert_eq!(insert(&store, &here, first.clone(), 5).await, Outcome::Done);
    let again = stored("a", json!({ "id": "a", "name": "two" }));
    assert_eq!(
        insert(&store, &here, again.clone(), 5).await,
        Outcome::Taken(None)
    );
    let unique = vec![("/name", json!("one"))];
    assert_eq!(
        insert_unique(&store, &here, again.clone(), 5, unique).await,
        Outcome::Taken(None)
    );
    assert_eq!(store.get(&here, "a").await.unwrap(), Some(first));
    assert_eq!(
        insert(&store, &scope("acme", &["q"]), again, 5).await,
        Outcome::Done
    );
}

/// A (JSON pointer, value) pair held by a record of the scope is refused, with the index of
/// the first taken pair; values compare as JSON (a number is not its string).
pub(crate) async fn taken_unique_values_are_refused<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    let here = scope("acme", &["p"]);
    let held = stored(
        "held",
        json!({
            "name": "alpha",
            "properties": { "displayName": "Alpha" },
            "size": 5,
            "code": "7",
            "tags": ["x", "y"],
            "a/b~c": "slash",
            "none": null,
            "enabled": true,
        }),
    );
    assert_eq!(insert(&store, &here, held, 10).await, Outcome::Done);

    let refused = [
        (vec![("/name", json!("alpha"))], 0),
        (
            vec![
                ("/name", json!("gamma")),
                ("/properties/displayName", json!("Alpha")),
            ],
            1,
        ),
        (vec![("/size", json!(5))], 0),
        (vec![("/code", json!("7"))], 0),
        (vec![("/tags/1", json!("y"))], 0),
        (vec![("/tags", json!(["x", "y"]))], 0),
        (vec![("/a~1b~0c", json!("slash"))], 0),
        (vec![("/none", Value::Null)], 0),
        (vec![("/enabled", json!(true))], 0),
        (vec![("/properties", json!({ "displayName": "Alpha" }))], 0),
    ];
    for (unique, at) in refused {
        let described = format!("{unique:?}");
        assert_eq!(
            insert_unique(&store, &here, plain("new"), 10, unique).await,
            Outcome::Taken(Some(at)),
            "{described}"
        );
    }
    assert_eq!(ids(&store, &here).await, ["held"]);

    // Free: another value, another type, another place, a missing field.
    let free = [
        vec![("/name", json!("ALPHA"))],
        vec![("/size", json!("5"))],
        vec![("/code", json!(7))],
        vec![("/size", json!(6))],
        vec![("/tags/2", json!("x"))],
        vec![("/tags", json!(["y", "x"]))],
        vec![("/missing", Value::Null)],
        vec![("/enabled", json!("true"))],
        vec![("/properties", json!({ "displayName": "Alpha", "more": 1 }))],
        vec![("/name/deeper", json!("alpha"))],
    ];
    for (i, unique) in free.into_iter().enumerate() {
        let described = format!("{unique:?}");
        let id = format!("free{i}");
        assert_eq!(
            insert_unique(&store, &here, plain(&id), 20, unique).await,
            Outcome::Done,
            "{described}"
        );
    }

    // Unique within the scope only.
    let unique = vec![("/name", json!("alpha"))];
    let there = scope("acme", &["q"]);
    assert_eq!(
        insert_unique(&store, &there, plain("new"), 10, unique).await,
        Outcome::Done
    );
    // An inserted record's values are checked against later inserts.
    let beta = stored("beta", json!({ "name": "beta" }));
    let unique = vec![("/name", json!("beta"))];
    assert_eq!(
        insert_unique(&store, &there, beta, 10, unique.clone()).await,
        Outcome::Done
    );
    assert_eq!(
        insert_unique(&store, &there, plain("again"), 10, unique).await,
        Outcome::Taken(Some(0))
    );
}

/// Replace and delete act only on the version they expect; a replace keeps the record's
/// place in the listing.
pub(crate) async fn replace_and_delete_refuse_stale_versions<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    let here = scope("acme", &["p"]);
    let big = u64::MAX - 2;
    let first = Stored {
        version: big,
        ..stored("a", json!({ "id": "a", "v": 1 }))
    };
    assert_eq!(insert(&store, &here, first, 5).await, Outcome::Done);
    assert_eq!(insert(&store, &here, plain("b"), 5).await, Outcome::Done);

    let second = Stored {
        version: big + 1,
        etag: Some("\"2\"".to_owned()),
        ..stored("a", json!({ "id": "a", "v": 2 }))
    };
    let replace = |stored: &Stored, expected| Write::Replace {
        stored: stored.clone(),
        expected,
    };
    // Differs from the held version in its last digit only (beyond a double's precision).
    assert_eq!(
        store.write(&here, replace(&second, big + 1)).await.unwrap(),
        Outcome::Stale
    );
    assert_eq!(
        store.write(&here, replace(&second, big)).await.unwrap(),
        Outcome::Done
    );
    assert_eq!(
        store.write(&here, replace(&second, big)).await.unwrap(),
        Outcome::Stale
    );
    assert_eq!(store.get(&here, "a").await.unwrap(), Some(second.clone()));
    assert_eq!(ids(&store, &here).await, ["a", "b"]);

    let missing = plain("zzz");
    assert_eq!(
        store.write(&here, replace(&missing, 1)).await.unwrap(),
        Outcome::Stale
    );

    let delete = |id: &str, expected| Write::Delete {
        id: id.to_owned(),
        expected,
    };
    assert_eq!(
        store.write(&here, delete("a", big)).await.unwrap(),
        Outcome::Stale
    );
    assert_eq!(
        store.write(&here, delete("a", big + 1)).await.unwrap(),
        Outcome::Done
    );
    assert_eq!(store.get(&here, "a").await.unwrap(), None);
    assert_eq!(
        store.write(&here, delete("a", big + 1)).await.unwrap(),
        Outcome::Stale
    );
    assert_eq!(
        store.write(&here, delete("zzz", 1)).await.unwrap(),
        Outcome::Stale
    );
    assert_eq!(ids(&store, &here).await, ["b"]);
    // Deleted ids are free again, and come last.
    assert_eq!(insert(&store, &here, plain("a"), 5).await, Outcome::Done);
    assert_eq!(ids(&store, &here).await, ["b", "a"]);
}

/// Seeded scopes (even empty ones) are pristine; refused writes leave them so, done ones
/// don't; scopes never seeded are not.
pub(crate) async fn a_scope_is_pristine_until_a_write_succeeds<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    let full = scope("acme", &["full"]);
    let empty = scope("acme", &["empty"]);
    let deleted = scope("acme", &["deleted"]);
    store
        .seed(&[
            (full.clone(), vec![seeded("a"), seeded("b")]),
            (empty.clone(), vec![]),
            (deleted.clone(), vec![seeded("c")]),
        ])
        .await
        .unwrap();
    let listing = store.list(&full).await.unwrap();
    assert!(listing.pristine);
    assert_eq!(*listing.records, vec![seeded("a"), seeded("b")]);
    assert_eq!(store.get(&full, "a").await.unwrap(), Some(seeded("a")));
    assert_eq!(
        store.list(&empty).await.unwrap(),
        Listing {
            records: vec![].into(),
            pristine: true
        }
    );

    // Refused writes change nothing.
    assert_eq!(insert(&store, &full, plain("x"), 2).await, Outcome::Full);
    assert_eq!(
        insert(&store, &full, plain("a"), 5).await,
        Outcome::Taken(None)
    );
    let stale = Write::Replace {
        stored: plain("a"),
        expected: 7,
    };
    assert_eq!(store.write(&full, stale).await.unwrap(), Outcome::Stale);
    assert!(store.list(&full).await.unwrap().pristine);

    let replace = Write::Replace {
        stored: Stored {
            version: 2,
            ..plain("a")
        },
        expected: 1,
    };
    assert_eq!(store.write(&full, replace).await.unwrap(), Outcome::Done);
    assert!(!store.list(&full).await.unwrap().pristine);

    assert_eq!(insert(&store, &empty, plain("x"), 5).await, Outcome::Done);
    assert!(!store.list(&empty).await.unwrap().pristine);

    let delete = Write::Delete {
        id: "c".to_owned(),
        expected: 1,
    };
    assert_eq!(store.write(&deleted, delete).await.unwrap(), Outcome::Done);
    assert_eq!(store.list(&deleted).await.unwrap(), Listing::default());

    let never = scope("acme", &["never"]);
    assert_eq!(insert(&store, &never, plain("x"), 5).await, Outcome::Done);
    assert!(!store.list(&never).await.unwrap().pristine);
}

/// Only the first seeding counts: later ones leave the state (and its writes) alone.
pub(crate) async fn seeds_are_put_in_place_once<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    let first = scope("acme", &["first"]);
    let second = scope("acme", &["second"]);
    store
        .seed(&[(first.clone(), vec![seeded("a")])])
        .await
        .unwrap();
    assert_eq!(insert(&store, &first, plain("b"), 5).await, Outcome::Done);

    store
        .seed(&[
            (first.clone(), vec![seeded("z")]),
            (second.clone(), vec![seeded("y")]),
        ])
        .await
        .unwrap();
    assert_eq!(ids(&store, &first).await, ["a", "b"]);
    assert_eq!(store.list(&second).await.unwrap(), Listing::default());

    // A reset seeds too, and counts as the first seeding.
    let other = fixture.store("other").await;
    other.reset(None, &[]).await.unwrap();
    other
        .seed(&[(first.clone(), vec![seeded("a")])])
        .await
        .unwrap();
    assert_eq!(other.list(&first).await.unwrap(), Listing::default());
}

/// A vendor's reset forgets its scopes (seeded or not) and puts its seeds back, leaving other
/// vendors, even one whose name starts alike, as they are; a full reset does it for all.
pub(crate) async fn reset_restores_one_vendor_or_all<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    let a = scope("a", &["1"]);
    let b = scope("b", &["1"]);
    let ab = scope("ab", &["1"]);
    let seeds = vec![
        (a.clone(), vec![seeded("a1")]),
        (b.clone(), vec![seeded("b1")]),
        (ab.clone(), vec![seeded("ab1")]),
        (scope("a", &["empty"]), vec![]),
    ];
    store.seed(&seeds).await.unwrap();
    let a_new = scope("a", &["2"]);
    let b_new = scope("b", &["2"]);
    for here in [&a, &b, &ab, &a_new, &b_new, &scope("a", &["empty"])] {
        assert_eq!(insert(&store, here, plain("w"), 5).await, Outcome::Done);
    }

    store.reset(Some("a"), &seeds).await.unwrap();
    assert_eq!(
        store.list(&a).await.unwrap(),
        Listing {
            records: vec![seeded("a1")].into(),
            pristine: true
        }
    );
    assert_eq!(
        store.list(&scope("a", &["empty"])).await.unwrap(),
        Listing {
            records: vec![].into(),
            pristine: true
        }
    );
    assert_eq!(store.list(&a_new).await.unwrap(), Listing::default());
    for (here, seed) in [(&b, "b1"), (&ab, "ab1")] {
        let listing = store.list(here).await.unwrap();
        assert!(!listing.pristine);
        assert_eq!(*listing.records, vec![seeded(seed), plain("w")]);
    }
    assert_eq!(ids(&store, &b_new).await, ["w"]);

    store.reset(None, &seeds).await.unwrap();
    for (here, seed) in [(&a, "a1"), (&b, "b1"), (&ab, "ab1")] {
        let listing = store.list(here).await.unwrap();
        assert!(listing.pristine);
        assert_eq!(*listing.records, vec![seeded(seed)]);
    }
    assert_eq!(store.list(&a_new).await.unwrap(), Listing::default());
    assert_eq!(store.list(&b_new).await.unwrap(), Listing::default());
}

/// The dump holds every scope with records or seeds, in key order, records oldest first.
pub(crate) async fn dump_shows_every_scope_in_key_order<F: Fixture>(fixture: &F) {
    let store = fixture.store("main").await;
    assert_eq!(store.dump().await.unwrap(), vec![]);
    store
        .seed(&[
            (scope("b", &["1"]), vec![seeded("b1"), seeded("b0")]),
            (scope("a", &["1"]), vec![seeded("a1")]),
            (scope("c", &["1"]), vec![]),
        ])
        .await
        .unwrap();
    assert_eq!(
        insert(&store, &scope("a", &["0"]), plain("z"), 5).await,
        Outcome::Done
    );
    assert_eq!(
        insert(&store, &scope("a", &["0"]), plain("y"), 5).await,
        Outcome::Done
    );
    assert_eq!(
        insert(&store, &scope("a", &["1"]), plain("x"), 5).await,
        Outcome::Done
    );

    let listing = |records: Vec<Stored>, pristine| Listing {
        records: records.into(),
        pristine,
    };
    assert_eq!(
        store.dump().await.unwrap(),
        vec![
            (
                scope("a", &["0"]),
                listing(vec![plain("z"), plain("y")], false)
            ),
            (
                scope("a", &["1"]),
                listing(vec![seeded("a1"), plain("x")], false)
            ),
            (
                scope("b", &["1"]),
                listing(vec![seeded("b1"), seeded("b0")], true)
            ),
            (scope("c", &["1"]), listing(vec![], true)),
        ]
    );
}

/// Two worlds share nothing: records, seeding, resets, bounds.
pub(crate) async fn namespaces_are_isolated<F: Fixture>(fixture: &F) {
    let one = fixture.store("one").await;
    let two = fixture.store("two").await;
    let here = scope("acme", &["p"]);
    let seeds = vec![(here.clone(), vec![seeded("s")])];

    one.seed(&seeds).await.unwrap();
    assert_eq!(two.list(&here).await.unwrap(), Listing::default());
    assert_eq!(insert(&one, &here, plain("a"), 2).await, Outcome::Done);
    assert_eq!(insert(&two, &here, plain("a"), 2).await, Outcome::Done);
    assert_eq!(insert(&two, &here, plain("b"), 2).await, Outcome::Done);
    assert_eq!(insert(&one, &here, plain("b"), 2).await, Outcome::Full);

    // `two` was never seeded: its first seeding still counts.
    two.seed(&seeds).await.unwrap();
    assert_eq!(ids(&two, &here).await, ["s"]);
    assert_eq!(insert(&two, &here, plain("c"), 5).await, Outcome::Done);

    one.reset(None, &[]).await.unwrap();
    assert_eq!(one.dump().await.unwrap(), vec![]);
    assert_eq!(ids(&two, &here).await, ["s", "c"]);
}

#[test]
fn scope_values_cannot_pass_for_separators() {
    let key = |values: &[&str]| ScopeKey::new("v", "r", values).0;
    assert_eq!(key(&["a", "b"]), "v/r/a/b");
    assert_eq!(key(&["a/b"]), "v/r/a%2Fb");
    assert_eq!(key(&["50%/x%2F"]), "v/r/50%25%2Fx%252F");
    assert_ne!(key(&["a/b"]), key(&["a", "b"]));
    assert_eq!(key(&[]), "v/r");
}
