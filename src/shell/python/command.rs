//! `python3` and `python`: the arguments checked as CPython checks them, then the terminal
//! handed to the program, which a runtime runs (see [`super`]).

use super::PythonProgram;
use crate::shell::command::{Command, Ctx};
use crate::shell::foreground::Foreground;

const USAGE: &str = "usage: python3 [option] ... [-c cmd | -m mod | file | -] [arg] ...";
const TRY_HELP: &str = "Try `python -h' for more information.";

const HELP: &str = "\
usage: python3 [option] ... [-c cmd | -m mod | file | -] [arg] ...
Options (and corresponding environment variables):
-c cmd : program passed in as string (terminates option list)
-h     : print this help message and exit (also -? or --help)
-i     : inspect interactively after running script
-m mod : run library module as a script (terminates option list)
-q     : don't print version and copyright messages on interactive startup
-u     : force the stdout and stderr streams to be unbuffered
-V     : print the Python version number and exit (also --version)
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
arg ...: arguments passed to program in sys.argv[1:]";

/// Flags that change nothing the lab shows (buffering, bytecode, isolation).
const QUIET_FLAGS: &[&str] = &["-u", "-B", "-E", "-s", "-S", "-I", "-q", "-O", "-OO", "-P"];

pub struct Python3;
pub struct Python;

impl Command for Python3 {
    fn name(&self) -> &'static str {
        "python3"
    }
    fn summary(&self) -> &'static str {
        "Python 3 with boto3, botocore and redis-py (a file, -c CODE, -m MODULE, or the prompt)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        run(ctx, args)
    }
}

impl Command for Python {
    fn name(&self) -> &'static str {
        "python"
    }
    fn summary(&self) -> &'static str {
        "the same as python3"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        run(ctx, args)
    }
}

fn usage_error(ctx: &mut Ctx, first: &str) -> i32 {
    ctx.errln(first);
    ctx.errln(USAGE);
    ctx.errln(TRY_HELP);
    2
}

fn run(ctx: &mut Ctx, args: &[String]) -> i32 {
    let mut i = 0;
    let quiet =
        args.iter().take_while(|a| a.starts_with('-') && !matches!(a.as_str(), "-c" | "-m" | "-")).any(|a| a == "-q");
    while i < args.len() {
        let arg = args[i].as_str();
        match arg {
            "-V" | "--version" => {
                ctx.outln(&format!("Python {}", super::PYTHON_VERSION));
                return 0;
            }
            "-h" | "-?" | "--help" => {
                ctx.outln(HELP);
                return 0;
            }
            "-c" | "-m" => {
                let Some(value) = args.get(i + 1) else {
                    return usage_error(ctx, &format!("Argument expected for the {arg} option"));
                };
                if arg == "-m" && (value == "pip" || value == "pip3") {
                    return super::pip::run(ctx, &args[i + 2..]);
                }
                return start(ctx, args[i..].to_vec());
            }
            "-" => return start(ctx, args[i..].to_vec()),
            flag if QUIET_FLAGS.contains(&flag) => i += 1,
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return usage_error(ctx, &format!("Unknown option: {flag}"));
            }
            file => {
                let path = ctx.path(file);
                match ctx.host.fs.read(&path) {
                    Ok(_) => return start(ctx, args[i..].to_vec()),
                    Err(e) => {
                        let errno = match e {
                            crate::shell::fs::FsError::IsADirectory => "[Errno 21] Is a directory",
                            _ => "[Errno 2] No such file or directory",
                        };
                        ctx.errln(&format!("{}: can't open file '{path}': {errno}", "python3"));
                        return 2;
                    }
                }
            }
        }
    }
    // The prompt, with `-q` passed on: no banner.
    start(ctx, if quiet { vec!["-q".to_string()] } else { Vec::new() })
}

/// Hands the terminal to the program; its exit status comes when it ends.
fn start(ctx: &mut Ctx, args: Vec<String>) -> i32 {
    // A here-document or `< file` is the program's standard input (`python3 - <<EOF`).
    let stdin = ctx.stdin.take();
    ctx.take_over(Foreground::Python(PythonProgram { args, stdin, prompt: String::new() }));
    0
}
