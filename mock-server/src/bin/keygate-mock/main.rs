//! The `keygate-mock` binary: CLI, logging, signals around [`keygate_mock::MockServer`].

mod batch_writer;
mod cli;
mod text_format;
mod timestamp;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use keygate_mock::{
    Engine, EngineBuilder, MockServer, MockServerBuilder, SpecSource, StartError, StateConfig,
};
use tracing_subscriber::EnvFilter;

use batch_writer::{BatchWriter, FlushGuard};
use cli::{Cli, LogFormat};
use text_format::PlainText;

/// With the `mimalloc` feature, mimalloc instead of the system's malloc (measured against
/// it and jemalloc by bench/connections/run.sh; not the default).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// With the `jemalloc` feature (the default; unless `mimalloc` is on too), jemalloc: its
/// background threads give the memory of closed connections back to the system, where
/// glibc's malloc keeps it (see bench/connections/run.sh).
#[cfg(all(
    feature = "jemalloc",
    not(feature = "mimalloc"),
    not(target_env = "msvc")
))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Held to the end of main: dropping it flushes the last log lines.
    let _log_guard = match init_logging(cli.log_format) {
        Ok(guard) => guard,
        Err(error) => {
            eprintln!("keygate-mock: cannot start the log writer: {error}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("keygate-mock: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("keygate-mock: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `RUST_LOG` wins; otherwise INFO, which includes one line per request.
///
/// Lines go to stderr through a background thread that writes them in batches (see
/// [`batch_writer`]), so request threads never wait on a write; when it falls behind they
/// wait rather than drop lines. Text lines are formatted by [`text_format`].
fn init_logging(format: LogFormat) -> std::io::Result<FlushGuard> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = BatchWriter::spawn(std::io::stderr())?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        LogFormat::Text => builder.event_format(PlainText).init(),
        LogFormat::Json => builder
            .with_timer(timestamp::CachedUtc)
            .json()
            .flatten_event(true)
            .init(),
    }
    Ok(guard)
}

fn spec_sources(cli: &Cli) -> Result<Vec<SpecSource>, StartError> {
    cli.specs
        .iter()
        .map(|path| SpecSource::from_path(path).map_err(StartError::from))
        .collect()
}

fn engine_options(cli: &Cli, state: StateConfig) -> Result<EngineBuilder, StartError> {
    let mut builder = Engine::builder().auth(cli.auth).state(state);
    if let Some(token) = &cli.admin_token {
        builder = builder.admin_token(token.clone());
    }
    if cli.no_embedded_specs {
        builder = builder.without_embedded_specs();
    }
    for source in spec_sources(cli)? {
        builder = builder.spec(source);
    }
    for (index, credential) in cli.credentials.iter().enumerate() {
        let credential = credential.parse(index + 1).map_err(StartError::Config)?;
        builder = builder.credential(credential);
    }
    for fault in &cli.faults {
        builder = builder.fault(fault.clone());
    }
    Ok(builder.fault_seed(cli.fault_seed))
}

fn server_options(cli: &Cli, state: StateConfig) -> Result<MockServerBuilder, StartError> {
    let mut builder = MockServer::builder()
        .engine(engine_options(cli, state)?)
        .bind(SocketAddr::new(cli.host, cli.port))
        .body_limit(cli.body_limit)
        .header_read_timeout(Duration::from_secs(cli.header_read_timeout))
        .max_connections(cli.max_connections);
    if let Some(tls) = cli.tls() {
        builder = builder.tls(tls);
    }
    Ok(builder)
}

async fn run(cli: Cli) -> Result<(), StartError> {
    let (state, stray_namespace) = cli.state_config().map_err(StartError::Config)?;
    if stray_namespace {
        tracing::warn!(
            "--state-namespace / KEYGATE_MOCK_STATE_NAMESPACE is ignored: it applies to \
             --state redis://... only (state: {state})"
        );
    }
    let shown = state.to_string();
    if cli.check {
        let engine = engine_options(&cli, state)?.build()?;
        check(&engine, &shown);
        return Ok(());
    }
    let signal = shutdown_signal();
    let server = server_options(&cli, state)?.start().await?;
    let vendors: Vec<&str> = server.engine().vendors().collect();
    // The ready signal scripts and tests wait for: always this exact prefix, on stdout.
    // With TLS, the certificate to trust comes last.
    let certificate = server
        .certificate_path()
        .map(|path| format!("; certificate: {}", path.display()))
        .unwrap_or_default();
    println!(
        "keygate-mock listening on {} (vendors: {}; auth: {}; state: {shown}{certificate})",
        server.url(),
        vendors.join(", "),
        server.engine().auth_mode()
    );
    if !cli.host.to_canonical().is_loopback() && cli.admin_token.is_none() {
        tracing::warn!(
            "not on a loopback address and no --admin-token: the admin surface (/__keygate/) \
             refuses every request"
        );
    }
    signal.await;
    tracing::info!("shutting down: finishing requests in flight");
    server.shutdown().await;
    tracing::info!("stopped");
    Ok(())
}

/// `--check`'s listing: one line per operation, `vendor<TAB>operationId`, followed by
/// `<TAB>resource:action` where the operation keeps state; then the state mode and the
/// stateful resources.
fn check(engine: &Engine, state: &str) {
    let stateful: Vec<_> = engine.stateful_operations().collect();
    let keeps_state = engine.keeps_state();
    for (vendor, operation) in engine.operations() {
        let plan = stateful
            .iter()
            .find(|(v, op, _, _)| *v == vendor && *op == operation)
            .filter(|_| keeps_state);
        match plan {
            Some((_, _, resource, action)) => {
                println!("{vendor}\t{operation}\t{resource}:{action}")
            }
            None => println!("{vendor}\t{operation}"),
        }
    }
    let mut resources: Vec<String> = Vec::new();
    for (vendor, _, resource, _) in &stateful {
        let name = format!("{vendor}/{resource}");
        if !resources.contains(&name) {
            resources.push(name);
        }
    }
    let resources = if resources.is_empty() {
        "none".to_owned()
    } else {
        resources.join(", ")
    };
    if keeps_state {
        println!("state: {state}; stateful resources: {resources}");
    } else {
        println!(
            "state: off: every answer is a documented sample (resources the specs describe: \
             {resources})"
        );
    }
}

/// SIGINT (Ctrl-C) or, on Unix, SIGTERM. On Unix the handlers are installed when this is
/// called, not when it is first polled: a signal sent right after the ready line must not
/// find the default action (exit without draining) still in place.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        signal(SignalKind::terminate()).and_then(|t| Ok((t, signal(SignalKind::interrupt())?)))
    };
    async move {
        #[cfg(unix)]
        if let Ok((mut term, mut int)) = handlers {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
