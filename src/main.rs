//! `kitchen`: the pasta kitchen on the command line.
//!
//! - `kitchen list` names the built-in scenarios, in the order of the course;
//! - `kitchen simulate ID` runs one through the simulation of CPython's scheduling and prints a
//!   summary, or the whole trace with `--json` (the same format the page replays);
//! - `kitchen measure ID` cooks a thread or process scenario for real on this machine and
//!   prints the measured trace the same way;
//! - `kitchen calibrate` measures this machine's CPython and prints a machine profile (JSON);
//! - `kitchen compare` cooks one workload in each kitchen and prints the table.
//!
//! The binary only parses arguments and prints; the work is in the library. Errors go to stderr
//! with a non-zero exit code.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// The command line is native only; in the browser the page is the interface.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::process::ExitCode;

    use clap::{Parser, Subcommand};

    use kitchen::core::profile::Profile;
    use kitchen::core::summary::Summary;
    use kitchen::core::trace::Trace;
    use kitchen::core::workload::sum_of_squares;
    use kitchen::native::{self, Work};
    use kitchen::scenarios::{self, SCENARIOS};

    #[derive(Parser)]
    #[command(
        name = "kitchen",
        version,
        about = "See how Python runs concurrent code: the pasta kitchen"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// List the built-in scenarios, in the order of the course.
        List,
        /// Simulate a scenario as CPython would schedule it.
        Simulate {
            /// Scenario id (see `kitchen list`).
            id: String,
            /// CPU cores of the simulated machine (1 to 256).
            #[arg(long)]
            cores: Option<u32>,
            /// Print the whole trace as JSON instead of a summary.
            #[arg(long)]
            json: bool,
        },
        /// Cook a thread or process scenario for real on this machine and time it.
        Measure {
            /// Scenario id: threads, processes, thousand-threads or thousand-processes.
            id: String,
            /// Seconds the pasta boils (a real sleep).
            #[arg(long, default_value_t = 1.0)]
            boil: f64,
            /// Loop turns of one CPU step, sum(i * i for i in range(N)).
            #[arg(long, default_value_t = 10_000_000)]
            n: u64,
            /// Print the whole trace as JSON instead of a summary.
            #[arg(long)]
            json: bool,
        },
        /// Run a Python program on the simulated clock, printing what it prints as
        /// `<simulated seconds>\t<text>`.
        Run {
            /// The Python file.
            file: std::path::PathBuf,
            /// CPU cores of the simulated machine (1 to 256).
            #[arg(long)]
            cores: Option<u32>,
            /// A machine profile (JSON, as `kitchen calibrate` writes).
            #[arg(long)]
            profile: Option<std::path::PathBuf>,
            /// Print the whole trace as JSON.
            #[arg(long)]
            json: bool,
        },
        /// Cook one workload in each kitchen (asyncio blocking, asyncio to_thread, threads,
        /// processes) on the simulated machine and print the table.
        Compare {
            /// Orders (1 to 1,000); each boils, then does two CPU steps.
            #[arg(long, allow_negative_numbers = true)]
            orders: Option<i64>,
            /// Loop turns of one CPU step, sum(i * i for i in range(N)) (0 to 10**9).
            #[arg(long, allow_negative_numbers = true)]
            cpu_n: Option<i64>,
            /// Seconds each order boils (0 to 3,600).
            #[arg(long, allow_negative_numbers = true)]
            boil: Option<f64>,
            /// CPU cores of the simulated machine (1 to 64).
            #[arg(long, allow_negative_numbers = true)]
            cores: Option<i64>,
            /// Add the what-if row: threads without a GIL (a model of the free-threaded build).
            #[arg(long)]
            free_threaded: bool,
            /// Also run the workload over 1 to 1,000 orders and 1 to 64 cores and print the
            /// totals and where one kitchen overtakes another (takes a few seconds).
            #[arg(long)]
            chart: bool,
            /// Print JSON: {"rows": [...]} (with --chart also "series" and "crossovers").
            #[arg(long)]
            json: bool,
        },
        /// Measure this machine's CPython and print its machine profile as JSON.
        Calibrate {
            /// Write the profile to FILE instead of printing it.
            #[arg(long, value_name = "FILE")]
            out: Option<std::path::PathBuf>,
            /// The Python to measure.
            #[arg(long, value_name = "PATH", default_value = "python3")]
            python: std::ffi::OsString,
        },
        /// One chef's job in a child process of `measure` (not for direct use).
        #[command(hide = true)]
        Work {
            #[arg(long)]
            cpu: Option<u64>,
            #[arg(long)]
            sleep: Option<f64>,
        },
    }

    pub fn main() -> ExitCode {
        match run(Cli::parse()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("kitchen: {message}");
                ExitCode::FAILURE
            }
        }
    }

    fn run(cli: Cli) -> Result<(), String> {
        match cli.command {
            Command::List => {
                let width = SCENARIOS.iter().map(|s| s.id.len()).max().unwrap_or(0);
                for id in kitchen::lessons::lesson_ids() {
                    let s = scenarios::find(id).map_err(|e| e.to_string())?;
                    println!("{:width$}  {}", s.id, s.summary);
                }
                Ok(())
            }
            Command::Simulate { id, cores, json } => {
                let scenario = scenarios::find(&id).map_err(|e| e.to_string())?;
                let mut profile = Profile::default();
                if let Some(cores) = cores {
                    profile.cores = cores;
                }
                let trace = scenario.simulate(profile).map_err(|e| e.to_string())?;
                print_trace(&trace, json)
            }
            Command::Measure { id, boil, n, json } => {
                let scenario = scenarios::find(&id).map_err(|e| e.to_string())?;
                let work = Work::new(boil, n).map_err(|e| e.to_string())?;
                let exe = std::env::current_exe()
                    .map_err(|e| format!("cannot find this program's path: {e}"))?;
                let trace = native::measure(scenario, &work, &exe).map_err(|e| e.to_string())?;
                print_trace(&trace, json)
            }
            Command::Run {
                file,
                cores,
                profile,
                json,
            } => run_program(&file, cores, profile.as_deref(), json),
            Command::Calibrate { out, python } => calibrate(out, &python),
            Command::Compare {
                orders,
                cpu_n,
                boil,
                cores,
                free_threaded,
                chart,
                json,
            } => {
                let asked = kitchen::compare::Asked {
                    orders,
                    cpu_n,
                    boil_s: boil,
                    cores,
                };
                compare::run(&asked, free_threaded, chart, json)
            }
            Command::Work { cpu, sleep } => {
                if let Some(n) = cpu {
                    std::hint::black_box(sum_of_squares(n.min(native::MAX_N)));
                }
                if let Some(s) = sleep.filter(|s| s.is_finite() && *s > 0.0) {
                    std::thread::sleep(std::time::Duration::from_secs_f64(
                        s.min(native::MAX_BOIL_S),
                    ));
                }
                Ok(())
            }
        }
    }

    /// `kitchen run`: errors as `FILE:line:column: message`.
    fn run_program(
        file: &std::path::Path,
        cores: Option<u32>,
        profile_file: Option<&std::path::Path>,
        json: bool,
    ) -> Result<(), String> {
        let source = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let mut profile = match profile_file {
            Some(p) => load_profile(p)?,
            None => Profile::default(),
        };
        if let Some(c) = cores {
            profile.cores = c;
        }
        let name = file.display().to_string();
        let trace = kitchen::python::run(&source, &name, profile)
            .map_err(|e| format!("{name}:{}:{}: {}", e.line, e.column, e.message))?;
        for note in &trace.notes {
            eprintln!("note: {note}");
        }
        if json {
            println!("{}", trace.to_json());
        } else {
            for p in &trace.prints {
                println!("{:.3}\t{}", p.t_s, p.text);
            }
        }
        Ok(())
    }

    /// `kitchen calibrate`: the profile to stdout or FILE, notes to stderr.
    fn calibrate(out: Option<std::path::PathBuf>, python: &std::ffi::OsStr) -> Result<(), String> {
        use kitchen::calibrate;
        let c = calibrate::run(python, calibrate::TIMEOUT).map_err(|e| e.to_string())?;
        for note in &c.notes {
            eprintln!("note: {note}");
        }
        for clamp in &c.clamps {
            eprintln!("note: measured {clamp}");
        }
        let json = c.profile_json();
        match out {
            None => println!("{json}"),
            Some(path) => {
                std::fs::write(&path, json + "\n")
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                println!("wrote {}: {}", path.display(), c.summary());
            }
        }
        Ok(())
    }

    fn load_profile(path: &std::path::Path) -> Result<Profile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let (profile, clamps) =
            Profile::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for c in clamps {
            eprintln!("note: {}: {c}", path.display());
        }
        Ok(profile)
    }

    fn print_trace(trace: &Trace, json: bool) -> Result<(), String> {
        for note in &trace.notes {
            eprintln!("note: {note}");
        }
        if json {
            println!("{}", trace.to_json());
        } else {
            print!("{}", summary_text(trace));
        }
        Ok(())
    }

    /// The readable summary of a trace: what was printed, then where each chef's time went.
    fn summary_text(trace: &Trace) -> String {
        let s = Summary::of(trace);
        let mut out = format!(
            "{} ({:?}, {} cores)\n",
            trace.title, trace.source, trace.profile.cores
        );
        out += &format!("total time   {:.3} s\n", s.makespan_s);
        out += &format!("CPU busy     {:.1} %\n", s.cpu_busy_share * 100.0);
        out += &format!(
            "peak memory  {:.1} MiB\n",
            s.peak_memory_bytes as f64 / (1 << 20) as f64
        );
        out += "\nprinted:\n";
        for p in &trace.prints {
            out += &format!("{:>10.3} s  {}\n", p.t_s, p.text);
        }
        out += &format!(
            "\n{:<24} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
            "chef", "busy s", "GIL wait", "core wait", "sleep", "blocked"
        );
        const SHOWN: usize = 40;
        for l in s.lanes.iter().take(SHOWN) {
            out += &format!(
                "{:<24} {:>10.3} {:>10.3} {:>10.3} {:>10.3} {:>10.3}\n",
                l.name, l.busy_s, l.gil_wait_s, l.core_wait_s, l.sleep_s, l.blocked_s
            );
        }
        if s.lanes.len() > SHOWN {
            out += &format!(
                "... and {} more chefs (see --json)\n",
                s.lanes.len() - SHOWN
            );
        }
        out
    }

    /// `kitchen compare`: the table (and with `--chart` the series) as text or JSON.
    mod compare {
        use kitchen::compare::{
            self, Asked, Axis, Crossover, Kitchen, Series, Table, Workload, KITCHENS,
        };

        const AXES: [Axis; 3] = [Axis::Orders, Axis::Cores, Axis::CpuN];
        use kitchen::core::profile::Profile;
        use kitchen::lessons::facts::{count, mebibytes, seconds};

        pub fn run(
            asked: &Asked,
            free_threaded: bool,
            chart: bool,
            json: bool,
        ) -> Result<(), String> {
            let (w, notes) = asked.clamped();
            for note in &notes {
                eprintln!("note: {note}");
            }
            let mut kitchens = KITCHENS.to_vec();
            if free_threaded {
                kitchens.push(Kitchen::ThreadsWithoutGil);
            }
            let base = Profile::default();
            let runs = compare::compare(&w, &kitchens, &base).map_err(|e| e.to_string())?;
            let table = Table::of(&w, &runs, notes);
            if !chart {
                match json {
                    true => println!("{}", table.to_json()),
                    false => print!("{}", text(&table)),
                }
                return Ok(());
            }
            let (series, crossovers) = along_every_axis(&w, &kitchens, &base)?;
            if json {
                let all = serde_json::json!({
                    "workload": table.workload,
                    "rows": table.rows,
                    "notes": table.notes,
                    "series": series,
                    "crossovers": crossovers,
                });
                println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
            } else {
                print!("{}", text(&table));
                print!("{}", series_text(&series, &crossovers));
            }
            Ok(())
        }

        /// The workload along every axis of the chart, and the crossovers on each.
        fn along_every_axis(
            w: &Workload,
            kitchens: &[Kitchen],
            base: &Profile,
        ) -> Result<(Vec<Series>, Vec<Crossover>), String> {
            let mut series = Vec::new();
            let mut crossovers = Vec::new();
            for axis in AXES {
                let along = compare::series(w, axis, axis.points(), kitchens, base)
                    .map_err(|e| e.to_string())?;
                crossovers.extend(compare::crossovers(&along));
                series.extend(along);
            }
            Ok((series, crossovers))
        }

        fn series_text(series: &[Series], crossovers: &[Crossover]) -> String {
            let mut out = String::new();
            for axis in AXES {
                let of_axis: Vec<&Series> = series.iter().filter(|s| s.axis == axis).collect();
                let Some(first) = of_axis.first() else {
                    continue;
                };
                out += &format!("\ntotal time against {}\n{:<20}", axis.name(), axis.name());
                for (x, _) in &first.points {
                    out += &format!(" {:>10}", count(*x as f64));
                }
                out.push('\n');
                for s in &of_axis {
                    out += &format!("{:<20}", s.kitchen);
                    for (_, t) in &s.points {
                        out += &format!(" {:>10}", seconds(*t));
                    }
                    out.push('\n');
                }
            }
            out += "\ncrossovers:\n";
            if crossovers.is_empty() {
                out += "  none: where the kitchens differ, the same one leads all along\n";
            }
            for c in crossovers {
                out += &format!(
                    "  {} overtakes {} between {} and {} {}\n",
                    c.faster,
                    c.slower,
                    count(c.between.0 as f64),
                    count(c.between.1 as f64),
                    c.axis.name()
                );
            }
            out
        }

        fn text(table: &Table) -> String {
            let w = &table.workload;
            let step = w.cpu_n as f64 * Profile::default().loop_iteration_s;
            let mut out = format!(
                "one workload, every kitchen: {} order{}, each boils {} then does 2 CPU steps \
                 of {} turns ({} each), on {} cores\n\n",
                count(w.orders as f64),
                if w.orders == 1 { "" } else { "s" },
                seconds(w.boil_s),
                count(w.cpu_n as f64),
                seconds(step),
                w.cores
            );
            out += &format!(
                "{:<20} {:>10} {:>8} {:>9} {:>12} {:>15}\n",
                "kitchen", "total", "speedup", "CPU busy", "peak memory", "start overhead"
            );
            for r in &table.rows {
                out += &format!(
                    "{:<20} {:>10} {:>7.2}× {:>8.1} % {:>12} {:>15}\n",
                    r.kitchen,
                    seconds(r.makespan_s),
                    r.speedup,
                    r.cpu_busy * 100.0,
                    mebibytes(r.peak_memory_bytes as f64),
                    seconds(r.start_overhead_s)
                );
            }
            if table.rows.iter().any(|r| r.what_if) {
                out +=
                    "\nthreads-without-gil is a model (the free-threaded build's scheduling with \
                        this machine's costs), not checked against a real free-threaded CPython\n";
            }
            out
        }
    }
}
