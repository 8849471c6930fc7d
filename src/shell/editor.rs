//! `nano`, `vi`, `vim` and `edit`: a file of the host opened in the workspace's editor.
//!
//! The command takes the terminal, as a terminal editor does ([`Foreground::Editor`]), and the
//! workspace shows the editor over that terminal (`src/ui/editor.rs`): it reads the file with
//! [`Lab::editor_file`](super::Lab::editor_file), writes it with
//! [`Lab::editor_save`](super::Lab::editor_save) on Ctrl+S and gives the terminal back with
//! [`Lab::program_exited`](super::Lab::program_exited) when it closes, so `$?` is 0 and the
//! rest of the line runs (`nano app.py && python3 app.py`). A file that does not exist yet is
//! an empty buffer and is created on the first save, as nano does.

use super::command::{Command, Ctx};
use super::foreground::Foreground;
use super::fs::FsError;
use serde::{Deserialize, Serialize};

/// The file the editor holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Editing {
    /// Which editor was asked for (`nano`, `vi`, `vim`, `edit`): the panel names it.
    pub program: String,
    /// Absolute path on the session's host.
    pub path: String,
    /// What the buffer held, unsaved, when its tab was last left (the workspace shows one tab
    /// at a time): the editor opens on it again, still marked modified. Saving clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<String>,
}

pub struct Nano;
pub struct Vi;
pub struct Vim;
pub struct Edit;

macro_rules! editor_command {
    ($type:ident, $name:literal) => {
        impl Command for $type {
            fn name(&self) -> &'static str {
                $name
            }
            fn summary(&self) -> &'static str {
                "edit a file in the workspace's editor (Ctrl+S saves, Esc closes)"
            }
            fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
                run(ctx, $name, args)
            }
        }
    };
}

editor_command!(Nano, "nano");
editor_command!(Vi, "vi");
editor_command!(Vim, "vim");
editor_command!(Edit, "edit");

fn run(ctx: &mut Ctx, program: &str, args: &[String]) -> i32 {
    // Options (`-w`, `+LINE`) change nothing here; the first other word is the file.
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') && !a.starts_with('+')).collect();
    let Some(file) = files.first() else {
        ctx.errln(&format!("{program}: name the file to edit: {program} FILE"));
        return 1;
    };
    if files.len() > 1 {
        ctx.errln(&format!("{program}: the lab's editor opens one file at a time"));
        return 1;
    }
    let path = ctx.path(file);
    match ctx.host.fs.read(&path) {
        Ok(_) | Err(FsError::NotFound) => {}
        Err(e) => {
            ctx.errln(&format!("{program}: {file}: {}", e.message()));
            return 1;
        }
    }
    ctx.take_over(Foreground::Editor(Editing { program: program.to_string(), path, draft: None }));
    0
}

/// The workspace's side of the editor.
impl super::Lab {
    /// The file the editor holds in a session, while it is open.
    pub fn editing(&self, session: super::session::SessionId) -> Option<&Editing> {
        match &self.session(session)?.foreground {
            Foreground::Editor(editing) => Some(editing),
            _ => None,
        }
    }

    /// Where no one can edit (a script, `dblab replay`, a shell reading a pipe), an editor that
    /// opened closes at once with status 1, saying what to do instead; the rest of its line
    /// runs. What that printed, or nothing when no editor is open in `session`.
    pub fn editor_unavailable(&mut self, session: super::session::SessionId) -> String {
        let Some(editing) = self.editing(session).cloned() else { return String::new() };
        let said = format!(
            "{}: no screen to edit on here: write the file with a here-document (cat > FILE <<'EOF')\n",
            editing.program
        );
        said + &self.program_exited(session, 1).text
    }

    /// The text of the file being edited: empty for a new file.
    pub fn editor_file(&self, session: super::session::SessionId) -> Option<String> {
        let editing = self.editing(session)?;
        let host = self.host(&self.session(session)?.host)?;
        Some(host.fs.read(&editing.path).map(str::to_string).unwrap_or_default())
    }

    /// Keeps (or, with `None`, forgets) the unsaved text of the editor open in `session`.
    pub fn editor_keep_draft(&mut self, session: super::session::SessionId, draft: Option<String>) {
        if let Some(Foreground::Editor(editing)) =
            self.sessions.iter_mut().find(|s| s.id == session).map(|s| &mut s.foreground)
        {
            editing.draft = draft;
        }
    }

    /// Writes the editor's text to its file, or says why not in nano's words
    /// (`[ Error writing /x/y: No such file or directory ]`). Like nano and vim, it ends a
    /// text whose last line has no newline with one: a file of lines, as POSIX tools expect.
    pub fn editor_save(&mut self, session: super::session::SessionId, text: &str) -> Result<(), String> {
        let text = if text.is_empty() || text.ends_with('\n') { text.to_string() } else { format!("{text}\n") };
        let editing = self.editing(session).ok_or("the editor is closed")?.clone();
        let host_name = self.session(session).map(|s| s.host.clone()).unwrap_or_default();
        let now = self.cloud.now.0;
        let host = self.hosts.iter_mut().find(|h| h.name == host_name).ok_or("the host is gone")?;
        host.fs
            .write(&editing.path, &text, false, now)
            .map_err(|e| format!("[ Error writing {}: {} ]", editing.path, e.message()))?;
        self.editor_keep_draft(session, None);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::cloud::time::Timestamp;
    use crate::shell::Lab;

    #[test]
    fn an_unsaved_draft_is_kept_until_a_save() {
        let mut lab = Lab::new(1, Timestamp::from_civil(2026, 12, 3, 9, 0, 0));
        lab.exec(1, "nano app.py");
        lab.editor_keep_draft(1, Some("print('draft')".into()));
        assert_eq!(lab.editing(1).and_then(|e| e.draft.as_deref()), Some("print('draft')"));
        assert_eq!(lab.editor_file(1).as_deref(), Some(""), "the file is untouched");
        lab.editor_save(1, "print('saved')").unwrap();
        assert_eq!(lab.editing(1).and_then(|e| e.draft.clone()), None);
    }

    #[test]
    fn the_editor_holds_the_terminal_and_gives_it_back_to_the_rest_of_the_line() {
        let mut lab = Lab::new(1, Timestamp::from_civil(2026, 12, 3, 9, 0, 0));
        let out = lab.exec(1, "nano app.py && cat app.py");
        assert_eq!(out.text, "");
        assert_eq!(lab.editing(1).map(|e| e.path.as_str()), Some("/home/learner/app.py"));
        assert_eq!(lab.editor_file(1).as_deref(), Some(""));
        lab.editor_save(1, "print('hi')").unwrap();
        let out = lab.program_exited(1, 0);
        assert_eq!(out.text, "print('hi')\n");
        assert!(lab.editing(1).is_none());
        assert_eq!(lab.session(1).unwrap().last_status, 0);
    }

    #[test]
    fn what_cannot_be_edited_or_saved_says_why() {
        let mut lab = Lab::new(1, Timestamp::from_civil(2026, 12, 3, 9, 0, 0));
        assert_eq!(lab.exec(1, "nano").text, "nano: name the file to edit: nano FILE\n");
        assert_eq!(lab.exec(1, "vi samples").text, "vi: samples: Is a directory\n");
        lab.exec(1, "edit nowhere/x.py");
        assert_eq!(
            lab.editor_save(1, "x").unwrap_err(),
            "[ Error writing /home/learner/nowhere/x.py: No such file or directory ]"
        );
        lab.program_exited(1, 0);
        assert_eq!(lab.exec(1, "vim welcome.txt; echo $?").text, "");
        assert!(lab.editor_file(1).unwrap().starts_with("Welcome to DB Lab."));
        assert_eq!(lab.program_exited(1, 0).text, "0\n");
    }
}
