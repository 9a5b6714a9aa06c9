//! `kitchen`: the pasta kitchen on the command line.
//!
//! - `kitchen list` names the built-in scenarios, in the order of the course;
//! - `kitchen simulate ID` runs one through the simulation of CPython's scheduling and prints a
//!   summary, or the whole trace with `--json` (the same format the page replays);
//! - `kitchen measure ID` cooks a thread or process scenario for real on this machine and
//!   prints the measured trace the same way;
//! - `kitchen calibrate` measures this machine's CPython and prints a machine profile (JSON).
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
}
