//! `kitchen`: the pasta kitchen on the command line.
//!
//! - `kitchen list` names the built-in scenarios, in the order of the course;
//! - `kitchen simulate ID` runs one through the simulation of CPython's scheduling and prints a
//!   summary, or the whole trace with `--json` (the same format the page replays);
//! - `kitchen run FILE` runs a Python program on the simulated clock;
//! - `kitchen measure ID` (or `--file FILE`) cooks the program for real on this machine (real
//!   threads, processes, sleeps; `--gil` emulates the GIL) and prints the measured trace the
//!   same way; `--python` runs it under the real `python3` instead and records what can be
//!   observed there;
//! - `kitchen export ID --format chrome` writes a trace as Chrome's Trace Event JSON
//!   (Perfetto, chrome://tracing); `kitchen import FILE` reads a VizTracer file as a trace;
//! - `kitchen calibrate` measures this machine's CPython and prints a machine profile (JSON);
//! - `kitchen compare` cooks one workload in each kitchen and prints the table.
//!
//! The binary only parses arguments and prints; the work is in the library. Errors go to stderr
//! with a non-zero exit code. Output to a pipe that closed early (`kitchen ... | head`) ends
//! the command quietly.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// The command line is native only; in the browser the page is the interface.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use clap::{Parser, Subcommand, ValueEnum};

    use kitchen::core::profile::Profile;
    use kitchen::core::summary::Summary;
    use kitchen::core::trace::{Source, Trace};
    use kitchen::native::{self, Program};
    use kitchen::python;
    use kitchen::scenarios::{self, Size, SCENARIOS};
    use kitchen::trace_io;

    /// `kitchen run`'s default limit of engine time, in seconds.
    const RUN_TIME_LIMIT_S: f64 = 60.0;

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
        /// Cook a scenario (or a program) for real on this machine and time it.
        Measure {
            /// Scenario id (see `kitchen list`).
            #[arg(required_unless_present = "file", conflicts_with = "file")]
            id: Option<String>,
            /// A Python program to cook instead of a scenario.
            #[arg(long, value_name = "FILE")]
            file: Option<PathBuf>,
            #[command(flatten)]
            size: SizeArgs,
            /// The threads of each process take turns on an emulated GIL (5 ms switch interval).
            #[arg(long, conflicts_with = "python")]
            gil: bool,
            /// Run it under the real python3 instead, and record what can be observed there.
            #[arg(long)]
            python: bool,
            /// The Python that --python runs.
            #[arg(long, value_name = "PATH", default_value = "python3")]
            python_exe: std::ffi::OsString,
            /// Stop the run after this many seconds of real time.
            #[arg(long, value_name = "S", default_value_t = native::DEFAULT_TIME_LIMIT_S)]
            time_limit: f64,
            /// Print the whole trace as JSON instead of a summary.
            #[arg(long)]
            json: bool,
        },
        /// Write a trace in another tool's format: Chrome's Trace Event JSON, which Perfetto and
        /// chrome://tracing open.
        Export {
            /// Scenario id to simulate (see `kitchen list`).
            #[arg(required_unless_present_any = ["file", "trace"], conflicts_with_all = ["file", "trace"])]
            id: Option<String>,
            /// A Python program to run on the simulated clock instead.
            #[arg(long, value_name = "FILE", conflicts_with = "trace")]
            file: Option<PathBuf>,
            /// A kitchen trace (JSON, as `--json` prints) instead.
            #[arg(long, value_name = "FILE")]
            trace: Option<PathBuf>,
            #[arg(long, value_enum, default_value_t = Format::Chrome)]
            format: Format,
            /// CPU cores of the simulated machine (1 to 256).
            #[arg(long)]
            cores: Option<u32>,
            /// Write to FILE instead of standard output.
            #[arg(long, value_name = "FILE")]
            out: Option<PathBuf>,
        },
        /// Read a VizTracer JSON file of a real Python run as a kitchen trace.
        Import {
            /// The VizTracer file (`viztracer -o FILE.json program.py`).
            file: PathBuf,
            /// Print the whole trace as JSON instead of a summary.
            #[arg(long)]
            json: bool,
        },
        /// Run a Python program on the simulated clock, printing what it prints as
        /// `<simulated seconds>\t<text>` (what it writes to stderr, e.g. `logging`, goes to
        /// stderr the same way).
        Run {
            /// The Python file.
            file: PathBuf,
            /// CPU cores of the simulated machine (1 to 256).
            #[arg(long)]
            cores: Option<u32>,
            /// A machine profile (JSON, as `kitchen calibrate` writes).
            #[arg(long)]
            profile: Option<PathBuf>,
            /// Print the whole trace as JSON.
            #[arg(long)]
            json: bool,
            /// Stop the run after this many seconds of engine time (a guard: the operation
            /// budget stops an endless loop long before on any usual machine).
            #[arg(long, value_name = "S", default_value_t = RUN_TIME_LIMIT_S)]
            time_limit: f64,
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
            out: Option<PathBuf>,
            /// The Python to measure.
            #[arg(long, value_name = "PATH", default_value = "python3")]
            python: std::ffi::OsString,
        },
        /// A child process of `measure`, cooking for its threads (not for direct use).
        #[command(hide = true)]
        Work {
            #[arg(long)]
            process: usize,
            #[arg(long)]
            main: usize,
            #[arg(long)]
            epoch_ns: u128,
            #[arg(long)]
            gil_interval_ns: Option<u64>,
        },
    }

    /// How big the kitchen `measure` cooks is (the scenario's constants).
    #[derive(clap::Args)]
    struct SizeArgs {
        /// Seconds the pasta boils (a real sleep).
        #[arg(long, default_value_t = 1.0)]
        boil: f64,
        /// Loop turns of one CPU step, sum(i * i for i in range(N)).
        #[arg(long, default_value_t = 10_000_000)]
        n: u64,
        /// Orders of the three-order scenarios.
        #[arg(long, default_value_t = 3)]
        orders: usize,
        /// Pots of the thousand-pot scenarios.
        #[arg(long, default_value_t = 1000)]
        pots: usize,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        /// Chrome's Trace Event JSON.
        Chrome,
    }

    /// Why a command stopped.
    enum Failure {
        /// Say this on stderr and exit with 1.
        Message(String),
        /// Standard output closed under us (`| head`): nothing more to say.
        ClosedPipe,
    }

    impl From<String> for Failure {
        fn from(message: String) -> Failure {
            Failure::Message(message)
        }
    }

    type Done = Result<(), Failure>;

    pub fn main() -> ExitCode {
        match run(Cli::parse()) {
            Ok(()) | Err(Failure::ClosedPipe) => ExitCode::SUCCESS,
            Err(Failure::Message(message)) => {
                note(&format!("kitchen: {message}"));
                ExitCode::FAILURE
            }
        }
    }

    /// Writes `text` to standard output.
    fn say(text: &str) -> Done {
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::ClosedPipe),
            Err(e) => Err(Failure::Message(format!("cannot write the output: {e}"))),
        }
    }

    /// A line on stderr; if nobody reads it, nobody misses it.
    fn note(text: &str) {
        let _ = writeln!(std::io::stderr(), "{text}");
    }

    fn run(cli: Cli) -> Done {
        match cli.command {
            Command::List => {
                let width = SCENARIOS.iter().map(|s| s.id.len()).max().unwrap_or(0);
                let mut lines = String::new();
                for id in kitchen::lessons::lesson_ids() {
                    let s = scenarios::find(id).map_err(|e| e.to_string())?;
                    lines += &format!("{:width$}  {}\n", s.id, s.summary);
                }
                say(&lines)
            }
            Command::Simulate { id, cores, json } => {
                let trace = simulated(&id, cores)?;
                print_trace(&trace, json)
            }
            Command::Measure {
                id,
                file,
                size,
                gil,
                python,
                python_exe,
                time_limit,
                json,
            } => {
                let program = program_to_measure(id.as_deref(), file.as_deref(), &size)?;
                let trace = if python {
                    native::cpython::observe(&program, &python_exe, time_limit)
                } else {
                    let exe = std::env::current_exe()
                        .map_err(|e| format!("cannot find this program's path: {e}"))?;
                    let options = native::Options {
                        gil,
                        time_limit_s: time_limit,
                    };
                    native::measure(&program, &options, &exe)
                }
                .map_err(|e| match e {
                    native::MeasureError::Program(_) => format!("{}:{e}", program.file),
                    other => other.to_string(),
                })?;
                print_trace(&trace, json)
            }
            Command::Export {
                id,
                file,
                trace,
                format: Format::Chrome,
                cores,
                out,
            } => {
                let trace = match (id, file, trace) {
                    (Some(id), _, _) => simulated(&id, cores)?,
                    (_, Some(file), _) => simulated_program(&file, cores, None, RUN_TIME_LIMIT_S)?,
                    (_, _, Some(path)) => {
                        let text = read_limited(&path)?;
                        Trace::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?
                    }
                    _ => return Err("say what to export: an ID, --file or --trace".to_string())?,
                };
                let chrome = trace_io::chrome::export(&trace);
                match out {
                    None => say(&chrome),
                    Some(path) => std::fs::write(&path, chrome)
                        .map_err(|e| format!("cannot write {}: {e}", path.display()).into()),
                }
            }
            Command::Import { file, json } => {
                let text = read_limited(&file)?;
                let name = file.display().to_string();
                let trace = trace_io::viztracer::import(&text, &name)
                    .map_err(|e| format!("{name}: {e}"))?;
                print_trace(&trace, json)
            }
            Command::Run {
                file,
                cores,
                profile,
                json,
                time_limit,
            } => {
                let (trace, failed) = run_program(&file, cores, profile.as_deref(), time_limit)?;
                for n in &trace.notes {
                    note(&format!("note: {n}"));
                }
                if json {
                    say(&(trace.to_json() + "\n"))?;
                } else {
                    print_lines(&trace)?;
                }
                match failed {
                    Some(why) => Err(Failure::Message(why)),
                    None => Ok(()),
                }
            }
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
                let (notes, output) = compare::run(&asked, free_threaded, chart, json)?;
                for n in &notes {
                    note(&format!("note: {n}"));
                }
                say(&output)
            }
            Command::Work {
                process,
                main,
                epoch_ns,
                gil_interval_ns,
            } => {
                let args = native::child::WorkArgs {
                    process,
                    main,
                    run_epoch_ns: epoch_ns,
                    gil_interval: gil_interval_ns,
                };
                native::child::work(&args).map_err(Failure::from)
            }
        }
    }

    fn simulated(id: &str, cores: Option<u32>) -> Result<Trace, Failure> {
        let scenario = scenarios::find(id).map_err(|e| e.to_string())?;
        let mut profile = Profile::default();
        if let Some(cores) = cores {
            profile.cores = cores;
        }
        Ok(scenario.simulate(profile).map_err(|e| e.to_string())?)
    }

    /// What `measure` cooks: a scenario at the size asked for, or a program from a file.
    fn program_to_measure(
        id: Option<&str>,
        file: Option<&Path>,
        size: &SizeArgs,
    ) -> Result<Program, Failure> {
        let size = Size {
            boil_s: size.boil,
            cpu_iterations: size.n,
            orders: size.orders,
            pots: size.pots,
        };
        native::check_size(&size).map_err(|e| e.to_string())?;
        match (id, file) {
            (_, Some(file)) => {
                let source = read_limited(file)?;
                Ok(Program::file(&file.display().to_string(), source))
            }
            (Some(id), None) => {
                let scenario = scenarios::find(id).map_err(|e| e.to_string())?;
                Ok(Program::scenario(scenario, &size))
            }
            (None, None) => Err("say what to measure: an ID or --file".to_string().into()),
        }
    }

    /// A file a user named, read within the size a trace may have.
    fn read_limited(path: &Path) -> Result<String, Failure> {
        trace_io::read_file(path).map_err(|e| Failure::Message(e.to_string()))
    }

    /// A program's printed lines, each after its time: standard output to standard output,
    /// standard error (tracebacks, warnings) to standard error, as a terminal would see them.
    fn print_lines(trace: &Trace) -> Done {
        for p in &trace.prints {
            let line = format!("{:.3}\t{}\n", p.t_s, p.text);
            if !p.stream.is_stdout() {
                note(line.trim_end_matches('\n'));
            } else {
                say(&line)?;
            }
        }
        Ok(())
    }

    /// `kitchen run`: a Python program on the simulated clock, stopped after `time_limit_s`
    /// of engine time. Its trace, and, when it ended in an uncaught exception, what to say
    /// about it (the trace is then the run's, the traceback among its standard error lines,
    /// as CPython's terminal shows it). Other failures are failures, as
    /// `FILE:line:column: message`.
    fn run_program(
        file: &Path,
        cores: Option<u32>,
        profile_file: Option<&Path>,
        time_limit_s: f64,
    ) -> Result<(Trace, Option<String>), Failure> {
        let (source, name, profile) = program_input(file, cores, profile_file)?;
        let start = std::time::Instant::now();
        let guard = python::time_limit(time_limit_s, move || start.elapsed().as_secs_f64());
        let limits = python::Limits::default().watched_by(guard);
        match python::run_with(&source, &name, profile, limits) {
            Ok((trace, _)) => Ok((trace, None)),
            Err(e) => {
                let why = format!("{name}:{}:{}: {}", e.line, e.column, e.message);
                match e.trace {
                    Some(t) => Ok((*t, Some(why))),
                    None => Err(Failure::Message(why)),
                }
            }
        }
    }

    /// A program's source, name and machine, from the command line.
    fn program_input(
        file: &Path,
        cores: Option<u32>,
        profile_file: Option<&Path>,
    ) -> Result<(String, String, Profile), Failure> {
        let source = read_limited(file)?;
        let mut profile = match profile_file {
            Some(p) => load_profile(p)?,
            None => Profile::default(),
        };
        if let Some(c) = cores {
            profile.cores = c;
        }
        Ok((source, file.display().to_string(), profile))
    }

    /// `export --file`: a program on the simulated clock, stopped after `time_limit_s` of
    /// engine time; an uncaught exception is a failure here.
    fn simulated_program(
        file: &Path,
        cores: Option<u32>,
        profile_file: Option<&Path>,
        time_limit_s: f64,
    ) -> Result<Trace, Failure> {
        match run_program(file, cores, profile_file, time_limit_s)? {
            (trace, None) => Ok(trace),
            (_, Some(why)) => Err(Failure::Message(why)),
        }
    }

    /// `kitchen calibrate`: the profile to stdout or FILE, notes to stderr.
    fn calibrate(out: Option<PathBuf>, python: &std::ffi::OsStr) -> Done {
        use kitchen::calibrate;
        let c = calibrate::run(python, calibrate::TIMEOUT).map_err(|e| e.to_string())?;
        for n in &c.notes {
            note(&format!("note: {n}"));
        }
        for clamp in &c.clamps {
            note(&format!("note: measured {clamp}"));
        }
        let json = c.profile_json();
        match out {
            None => say(&(json + "\n")),
            Some(path) => {
                std::fs::write(&path, json + "\n")
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                say(&format!("wrote {}: {}\n", path.display(), c.summary()))
            }
        }
    }

    fn load_profile(path: &Path) -> Result<Profile, Failure> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let (profile, clamps) =
            Profile::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for c in clamps {
            note(&format!("note: {}: {c}", path.display()));
        }
        Ok(profile)
    }

    fn print_trace(trace: &Trace, json: bool) -> Done {
        for n in &trace.notes {
            note(&format!("note: {n}"));
        }
        if json {
            say(&(trace.to_json() + "\n"))
        } else {
            say(&summary_text(trace))
        }
    }

    fn mib(bytes: u64) -> f64 {
        bytes as f64 / (1u64 << 20) as f64
    }

    /// The peak resident set of each process, where the trace measured them.
    fn resident_sets(trace: &Trace) -> String {
        let mut peaks: Vec<(usize, u64)> = Vec::new();
        for m in &trace.memory {
            let Some(p) = m.process else { continue };
            match peaks.iter_mut().find(|(q, _)| *q == p) {
                Some((_, peak)) => *peak = (*peak).max(m.bytes),
                None => peaks.push((p, m.bytes)),
            }
        }
        if peaks.is_empty() {
            return String::new();
        }
        peaks.sort_unstable();
        const SHOWN: usize = 12;
        let shown: Vec<String> = peaks
            .iter()
            .take(SHOWN)
            .map(|(p, b)| format!("{p}: {:.1}", mib(*b)))
            .collect();
        let more = match peaks.len().saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!(" ... and {n} more"),
        };
        format!(
            "resident set per process, peak MiB  {}{more}\n",
            shown.join(", ")
        )
    }

    /// The readable summary of a trace: what was printed, then where each chef's time went.
    fn summary_text(trace: &Trace) -> String {
        let s = Summary::of(trace);
        let mut out = format!(
            "{} ({:?}, {} cores)\n",
            trace.title, trace.source, trace.profile.cores
        );
        out += &format!("total time   {:.3} s\n", s.makespan_s);
        if trace.source == Source::Cpython {
            out += "CPU busy     not observed (running or waiting for the GIL look alike)\n";
        } else {
            out += &format!("CPU busy     {:.1} %\n", s.cpu_busy_share * 100.0);
        }
        out += &format!("peak memory  {:.1} MiB\n", mib(s.peak_memory_bytes));
        out += &resident_sets(trace);
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
        use kitchen::core::profile::Profile;
        use kitchen::lessons::facts::{count, mebibytes, seconds};

        const AXES: [Axis; 3] = [Axis::Orders, Axis::Cores, Axis::CpuN];

        /// The notes (values clamped) and what to print.
        pub fn run(
            asked: &Asked,
            free_threaded: bool,
            chart: bool,
            json: bool,
        ) -> Result<(Vec<String>, String), String> {
            let (w, notes) = asked.clamped();
            let mut kitchens = KITCHENS.to_vec();
            if free_threaded {
                kitchens.push(Kitchen::ThreadsWithoutGil);
            }
            let base = Profile::default();
            let runs = compare::compare(&w, &kitchens, &base).map_err(|e| e.to_string())?;
            let table = Table::of(&w, &runs, notes.clone());
            let output = match (chart, json) {
                (false, true) => table.to_json() + "\n",
                (false, false) => text(&table),
                (true, _) => {
                    let (series, crossovers) = along_every_axis(&w, &kitchens, &base)?;
                    if json {
                        let all = serde_json::json!({
                            "workload": table.workload,
                            "rows": table.rows,
                            "notes": table.notes,
                            "series": series,
                            "crossovers": crossovers,
                        });
                        serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
                    } else {
                        text(&table) + &series_text(&series, &crossovers)
                    }
                }
            };
            Ok((notes, output))
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
