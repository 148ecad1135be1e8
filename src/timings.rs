//! Where a run's time goes: each stage's wall time, and the CPU time all
//! the process's threads spent over it (`handout build --timings`). A
//! helper that knows no stage: the pipeline names the stages as it ends
//! them.

use std::time::{Duration, Instant};

/// One stage of a run and what it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub name: &'static str,
    pub wall: Duration,
    /// User and system time of every thread; `None` where the system
    /// does not say.
    pub cpu: Option<Duration>,
}

/// The stages of a run so far. Each begins where the one before ended.
#[derive(Debug)]
pub struct Timings {
    stages: Vec<Stage>,
    /// When the stage under way began, and the process's CPU time then.
    began: (Instant, Option<Duration>),
}

impl Timings {
    /// Begins the first stage now.
    pub fn start() -> Timings {
        Timings {
            stages: Vec::new(),
            began: (Instant::now(), process_cpu()),
        }
    }

    /// Ends the stage under way as `name`, and begins the next. A name
    /// ended again (a stage run for each language) adds to its first.
    pub fn end(&mut self, name: &'static str) {
        let now = (Instant::now(), process_cpu());
        let wall = now.0.duration_since(self.began.0);
        let cpu = now.1.zip(self.began.1).map(|(n, b)| n.saturating_sub(b));
        self.began = now;
        match self.stages.iter_mut().find(|s| s.name == name) {
            Some(stage) => {
                stage.wall += wall;
                stage.cpu = stage.cpu.zip(cpu).map(|(a, b)| a + b);
            }
            None => self.stages.push(Stage { name, wall, cpu }),
        }
    }

    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    pub fn into_stages(self) -> Vec<Stage> {
        self.stages
    }
}

/// The stages as a table for a terminal, with their sum: the stage, its
/// wall time, its CPU time (more than the wall time when several cores
/// worked).
pub fn table(stages: &[Stage]) -> String {
    let width = stages
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(0)
        .max(5);
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let cpu = |d: Option<Duration>| d.map_or_else(|| "-".to_string(), ms);
    let mut out = format!("{:width$}  {:>10}  {:>10}\n", "stage", "wall", "CPU");
    for stage in stages {
        out += &format!(
            "{:width$}  {:>10}  {:>10}\n",
            stage.name,
            ms(stage.wall),
            cpu(stage.cpu)
        );
    }
    let wall = stages.iter().map(|s| s.wall).sum();
    let total_cpu = stages.iter().map(|s| s.cpu).sum::<Option<Duration>>();
    out += &format!(
        "{:width$}  {:>10}  {:>10}",
        "total",
        ms(wall),
        cpu(total_cpu)
    );
    out
}

/// The CPU time (user and system) of every thread of this process so far.
#[cfg(unix)]
fn process_cpu() -> Option<Duration> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `getrusage` only writes the struct it is given, which is
    // zeroed and the right size; `RUSAGE_SELF` asks about this process.
    let code = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if code != 0 {
        return None;
    }
    // SAFETY: zeroed is a valid `rusage` (plain integers), and the call
    // filled it in.
    let usage = unsafe { usage.assume_init() };
    let time = |t: libc::timeval| {
        let secs = u64::try_from(t.tv_sec).ok()?;
        let micros = u32::try_from(t.tv_usec).ok()?;
        Some(Duration::from_secs(secs) + Duration::from_micros(u64::from(micros)))
    };
    Some(time(usage.ru_utime)? + time(usage.ru_stime)?)
}

#[cfg(not(unix))]
fn process_cpu() -> Option<Duration> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_ended_again_adds_to_its_first() {
        let mut timings = Timings::start();
        std::thread::sleep(Duration::from_millis(2));
        timings.end("load");
        timings.end("render");
        std::thread::sleep(Duration::from_millis(2));
        timings.end("load");
        let stages = timings.stages();
        let names: Vec<&str> = stages.iter().map(|s| s.name).collect();
        assert_eq!(names, ["load", "render"]);
        assert!(stages[0].wall >= Duration::from_millis(4), "{stages:?}");
    }

    #[test]
    fn the_process_cpu_time_grows_with_work() {
        let before = process_cpu().expect("getrusage");
        let started = Instant::now();
        let mut x = 0u64;
        while started.elapsed() < Duration::from_millis(30) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        let after = process_cpu().expect("getrusage");
        assert!(
            after >= before + Duration::from_millis(10),
            "{before:?} {after:?}"
        );
    }

    #[test]
    fn the_table_sums_the_stages() {
        let stages = [
            Stage {
                name: "read",
                wall: Duration::from_millis(10),
                cpu: Some(Duration::from_millis(15)),
            },
            Stage {
                name: "render pages",
                wall: Duration::from_millis(30),
                cpu: Some(Duration::from_millis(55)),
            },
        ];
        let table = table(&stages);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert!(lines[2].starts_with("render pages"), "{table}");
        assert!(lines[3].starts_with("total"), "{table}");
        assert!(
            lines[3].contains("40.0 ms") && lines[3].contains("70.0 ms"),
            "{table}"
        );
    }
}
