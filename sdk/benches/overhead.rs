//! The SDK's per-call overhead against a plain reqwest call to the same local server, in the
//! same run: signing, the request hooks, reading the answer in the vendor's dialect, the
//! tracing span and decoding.
//!
//! `cargo bench -p keygate-sdk --bench overhead`: criterion times
//! - `reqwest_plain`: `reqwest::Client::new()`, GET of the same URL and query with
//!   `Accept: application/json`, reading the body bytes;
//! - `reqwest_decode`: the same, then `serde_json` decoding into the same typed body the SDK
//!   returns (`ListAiApiKeysResponse`): the baseline the goal refers to;
//! - `reqwest_configured_decode`: as `reqwest_decode`, with the reqwest client configured as
//!   the SDK configures its own by default (10 s connect timeout, 30 s per-request timeout,
//!   a `User-Agent`): what a plain-reqwest user setting the same safeguards would run;
//! - `sdk_token` (Huawei IAM token: no signing) and `sdk_aksk` (SDK-HMAC-SHA256 signing),
//!   retries off.
//!
//! Then, because a shared machine's load drifts between criterion's groups, it measures the
//! same calls interleaved, round by round, and prints the median ratio of each SDK variant to
//! each of the two decoding baselines. `KEYGATE_OVERHEAD_LOOP` (see [`profile_loop`]) runs a
//! single variant for a profiler instead.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, criterion_group};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use keygate_sdk::huawei::{Client, Credentials, types};
use keygate_sdk::{ClientOptions, RetryPolicy};

const SAMPLE: &str = r#"{"total":2,"size":2,"ai_api_keys":[{"ai_api_key":"GjOD3g80AABu*******8LcCcPZN","alias":"test1","app_id":"9ed8b7fe84224de681e7d7a5587e76dc","create_time":"2020-07-24T02:37:24Z","id":"32dc8ca22d1b4b9cb94022186880576b"},{"ai_api_key":"fdc8d90a301*******13b6f572a","alias":"test2","app_id":"9ed8b7fe84224de681e7d7a5587e76dc","create_time":"2020-07-24T02:31:45Z","id":"b3d34f746d0847fb95138670e10207ed"}]}"#;
const PATH: &str = "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys";

/// A hyper server on its own thread and runtime, answering every request with the sample.
fn start_server() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                tokio::spawn(async move {
                    let service = service_fn(|_request| async {
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .header("content-type", "application/json")
                                .header("x-request-id", "2a7b1c0e5f4d4e3c9b8a7f6e5d4c3b2a")
                                .body(Full::new(Bytes::from_static(SAMPLE.as_bytes())))
                                .unwrap(),
                        )
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    rx.recv().unwrap()
}

/// The calls under comparison, sharing one server and one runtime.
struct Calls {
    runtime: tokio::runtime::Runtime,
    plain: reqwest::Client,
    configured: reqwest::Client,
    url: String,
    token: Client,
    aksk: Client,
}

impl Calls {
    fn new() -> Self {
        let endpoint = format!("http://{}", start_server());
        let options = ClientOptions::default()
            .endpoint(&endpoint)
            .retry_policy(RetryPolicy::none());
        Self {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            plain: reqwest::Client::new(),
            configured: configured_reqwest(),
            url: format!("{endpoint}{PATH}?limit=20&offset=0"),
            token: Client::builder(Credentials::iam_token("MIIZ-token"))
                .options(options.clone())
                .build()
                .unwrap(),
            aksk: Client::builder(Credentials::ak_sk(
                "QTWAOYTTINDUT2QVKYUC",
                "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
            ))
            .options(options)
            .build()
            .unwrap(),
        }
    }

    fn plain(&self) -> Bytes {
        self.fetch(&self.plain)
    }

    fn fetch(&self, client: &reqwest::Client) -> Bytes {
        self.runtime.block_on(async {
            let response = client
                .get(&self.url)
                .header("accept", "application/json")
                .send()
                .await
                .unwrap();
            response.bytes().await.unwrap()
        })
    }

    fn decode(&self) -> types::ListAiApiKeysResponse {
        serde_json::from_slice(&self.plain()).unwrap()
    }

    fn decode_configured(&self) -> types::ListAiApiKeysResponse {
        serde_json::from_slice(&self.fetch(&self.configured)).unwrap()
    }

    fn sdk(&self, client: &Client) -> types::ListAiApiKeysResponse {
        self.runtime.block_on(async {
            client
                .list_ai_api_keys()
                .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
                .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
                .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
                .limit(20u32)
                .offset(0)
                .send()
                .await
                .unwrap()
                .into_inner()
        })
    }
}

/// A reqwest client set up as the SDK sets up its own by default (`ClientOptions::default`):
/// 10 s connect timeout, 30 s per-request timeout, a `User-Agent`. Features a plain-reqwest
/// user would also set; the per-request timeout costs a timer per call.
fn configured_reqwest() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .user_agent("keygate-sdk/0.1.0")
        .build()
        .unwrap()
}

fn overhead(c: &mut Criterion) {
    let calls = Calls::new();
    let mut group = c.benchmark_group("call");
    group.bench_function("reqwest_plain", |b| b.iter(|| calls.plain()));
    group.bench_function("reqwest_decode", |b| b.iter(|| calls.decode()));
    group.bench_function("reqwest_configured_decode", |b| {
        b.iter(|| calls.decode_configured())
    });
    group.bench_function("sdk_token", |b| b.iter(|| calls.sdk(&calls.token)));
    group.bench_function("sdk_aksk", |b| b.iter(|| calls.sdk(&calls.aksk)));
    group.finish();
}

/// Median, over rounds, of each SDK variant's mean call time divided by each baseline's in
/// the same round.
fn interleaved_ratios() {
    const ROUNDS: usize = 31;
    const CALLS: u32 = 200;
    let calls = Calls::new();
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..CALLS {
            f();
        }
        start.elapsed() / CALLS
    };
    // [token / decode, aksk / decode, token / configured, aksk / configured]
    let mut ratios: [Vec<f64>; 4] = Default::default();
    let mut baseline = Vec::new();
    let mut configured_baseline = Vec::new();
    for _ in 0..ROUNDS {
        let decode = time(&|| drop(calls.decode()));
        let configured = time(&|| drop(calls.decode_configured()));
        let token = time(&|| drop(calls.sdk(&calls.token)));
        let aksk = time(&|| drop(calls.sdk(&calls.aksk)));
        baseline.push(decode);
        configured_baseline.push(configured);
        for (i, base) in [decode, configured].into_iter().enumerate() {
            ratios[2 * i].push(token.as_secs_f64() / base.as_secs_f64());
            ratios[2 * i + 1].push(aksk.as_secs_f64() / base.as_secs_f64());
        }
    }
    baseline.sort();
    configured_baseline.sort();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "interleaved, {ROUNDS} rounds x {CALLS} calls; medians: reqwest_decode {:?}, \
         reqwest_configured_decode {:?}",
        baseline[ROUNDS / 2],
        configured_baseline[ROUNDS / 2]
    );
    for (i, name) in [
        "sdk_token / reqwest_decode",
        "sdk_aksk  / reqwest_decode",
        "sdk_token / reqwest_configured_decode",
        "sdk_aksk  / reqwest_configured_decode",
    ]
    .into_iter()
    .enumerate()
    {
        println!("ratio {name}: {:.3}", median(&mut ratios[i]));
    }
}

/// `KEYGATE_OVERHEAD_LOOP=<variant>:<calls>` runs one variant that many times and exits, for
/// a profiler (`valgrind --tool=callgrind`): run it with two call counts and divide the
/// difference in instructions by the difference in calls for a per-call count. Variants:
/// `reqwest_decode`, `reqwest_configured_decode`, `sdk_token`, `sdk_aksk`.
fn profile_loop(spec: &str) {
    let (variant, count) = spec
        .split_once(':')
        .expect("KEYGATE_OVERHEAD_LOOP is <variant>:<calls>");
    let count: u32 = count.parse().expect("a call count");
    let calls = Calls::new();
    let call: &dyn Fn() = match variant {
        "reqwest_decode" => &|| drop(calls.decode()),
        "reqwest_configured_decode" => &|| drop(calls.decode_configured()),
        "sdk_token" => &|| drop(calls.sdk(&calls.token)),
        "sdk_aksk" => &|| drop(calls.sdk(&calls.aksk)),
        other => panic!("unknown variant {other}"),
    };
    for _ in 0..count {
        call();
    }
}

criterion_group!(benches, overhead);

fn main() {
    if let Ok(spec) = std::env::var("KEYGATE_OVERHEAD_LOOP") {
        profile_loop(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo test --benches` runs benches in test mode: skip the long measurement there.
    if !std::env::args().any(|a| a == "--test") {
        interleaved_ratios();
    }
}
