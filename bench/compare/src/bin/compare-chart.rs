//! The chart of `bench/compare/run.sh`: requests per second, p99 latency and memory of each
//! server, as horizontal bars, one panel each, drawn by plotters into an SVG file.
//!
//! `compare-chart RESULTS.tsv CHART.svg TITLE`: RESULTS.tsv is the script's results file, a
//! header line, then one line per server: `name  req/s  ratio  p50_ms  p99_ms  rss_start_kib
//! rss_end_kib`, tab-separated.

use std::error::Error;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One server's figures, as the script writes them.
struct Row {
    name: String,
    rps: f64,
    p99_ms: f64,
    rss_end_mib: f64,
}

fn parse(line: &str) -> Result<Row, Box<dyn Error>> {
    let fields: Vec<&str> = line.split('\t').collect();
    if fields.len() != 7 {
        return Err(format!("expected 7 tab-separated fields: {line:?}").into());
    }
    Ok(Row {
        name: fields[0].to_string(),
        rps: fields[1].parse()?,
        p99_ms: fields[4].parse()?,
        rss_end_mib: fields[6].parse::<f64>()? / 1024.0,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, output, title] = args.as_slice() else {
        return Err("usage: compare-chart RESULTS.tsv CHART.svg TITLE".into());
    };
    let rows = std::fs::read_to_string(input)?
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(parse)
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<String> = rows.iter().map(|row| row.name.clone()).collect();

    let root = SVGBackend::new(output, (960, 250 * 3 + 40)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(title, ("sans-serif", 20))?;
    let panels = root.split_evenly((3, 1));
    let rps: Vec<f64> = rows.iter().map(|row| row.rps).collect();
    let p99: Vec<f64> = rows.iter().map(|row| row.p99_ms).collect();
    let rss: Vec<f64> = rows.iter().map(|row| row.rss_end_mib).collect();
    bars(
        &panels[0],
        "Requests/s, median of rounds (higher is better)",
        &names,
        &rps,
        |v| format!("{v:.0}"),
        BLUE.mix(0.7),
    )?;
    bars(
        &panels[1],
        "p99 latency, ms, median of rounds (lower is better)",
        &names,
        &p99,
        |v| format!("{v:.2}"),
        RED.mix(0.7),
    )?;
    bars(
        &panels[2],
        "RSS after the run, MiB (lower is better)",
        &names,
        &rss,
        |v| format!("{v:.1}"),
        GREEN.mix(0.7),
    )?;
    root.present()?;
    Ok(())
}

/// One panel: a bar per server, the first server at the top, its value written beside it.
fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    names: &[String],
    values: &[f64],
    label: impl Fn(f64) -> String,
    color: RGBAColor,
) -> Result<(), Box<dyn Error>>
where
    DB::ErrorType: 'static,
{
    let n = values.len();
    let max = values
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE)
        * 1.2;
    // Segment 0 is at the bottom: the first server gets the top one.
    let slot = |i: usize| n - 1 - i;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(230)
        .build_cartesian_2d(0.0..max, (0..n).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_label_formatter(&|value| {
            if max >= 100.0 {
                format!("{value:.0}")
            } else {
                format!("{value:.1}")
            }
        })
        .y_labels(n)
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(i) if *i < n => names[slot(*i)].clone(),
            _ => String::new(),
        })
        .label_style(("sans-serif", 13))
        .draw()?;
    chart.draw_series(values.iter().enumerate().map(|(i, value)| {
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(slot(i))),
                (*value, SegmentValue::Exact(slot(i) + 1)),
            ],
            color.filled(),
        );
        bar.set_margin(6, 6, 0, 0);
        bar
    }))?;
    chart.draw_series(values.iter().enumerate().map(|(i, value)| {
        Text::new(
            format!(" {}", label(*value)),
            (*value, SegmentValue::CenterOf(slot(i))),
            TextStyle::from(("sans-serif", 13).into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
        )
    }))?;
    Ok(())
}
