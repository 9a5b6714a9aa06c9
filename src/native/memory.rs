//! Resident memory, as the OS counts it: `VmRSS` in `/proc/<pid>/status` (Linux).
//!
//! The resident set counts the pages of a process that are in RAM, shared ones included (the
//! binary's code, which every child of the kitchen maps too), so the sum over processes is
//! what they hold together as the OS reports each, not the machine's free memory lost.

/// The resident set of process `pid` in bytes; `None` where the OS does not say (the
/// process is gone, or this is not Linux).
pub fn resident_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    vm_rss(&status)
}

/// The `VmRSS:` line of a `/proc/<pid>/status` text, in bytes.
pub fn vm_rss(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let mut words = line["VmRSS:".len()..].split_whitespace();
    let value: u64 = words.next()?.parse().ok()?;
    match words.next() {
        Some("kB") => value.checked_mul(1024),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_resident_set_line() {
        let status = "Name:\tkitchen\nVmPeak:\t  10000 kB\nVmRSS:\t    2048 kB\nThreads:\t1\n";
        assert_eq!(vm_rss(status), Some(2 << 20));
        assert_eq!(vm_rss("Name:\tx\n"), None);
        assert_eq!(vm_rss("VmRSS:\tlots kB\n"), None);
        assert_eq!(vm_rss("VmRSS:\t12 pages\n"), None);
    }

    #[test]
    fn this_process_has_a_resident_set() {
        let own = resident_bytes(std::process::id()).expect("Linux says");
        assert!(own > 1 << 20, "{own} bytes");
    }
}
