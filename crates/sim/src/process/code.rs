//! Compiles a parsed script into flat per-chunk instruction lists. A flat program counter is
//! what lets the interpreter stop anywhere (a `sleep`, a `wait`) and resume at the next `wake`
//! without Rust recursion, and it makes "is this the last command?" — the busybox ash / bash
//! exec optimisation of images-and-processes.md §2.3 — a static property of each command.

use super::shell::{AndOr, Cmd, List, ParseError, Pipeline, Script, Simple, Word};

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// A simple command. `tested`: its status is checked (`if`, `&&`, `!` …), so `set -e`
    /// ignores a failure. `tail`: nothing runs after it, so ash and bash exec it.
    Run {
        cmd: Simple,
        tested: bool,
        tail: bool,
    },
    /// `… &`: runs the chunk in a background subshell.
    Spawn(usize),
    /// `( … )`: runs the chunk in a subshell and waits for it.
    Sub(usize),
    /// `a | b | c`: one chunk per stage.
    Pipe(Vec<usize>),
    Jump(usize),
    JumpIfFail(usize),
    JumpIfOk(usize),
    Not,
    SetStatus(i32),
    ForInit {
        words: Option<Vec<Word>>,
    },
    ForNext {
        var: String,
        exit: usize,
    },
    /// `break`/`continue` resolved at compile time: jump, dropping `pop_fors` for-loop states.
    Break {
        target: usize,
        pop_fors: usize,
    },
    DefFunc {
        name: String,
        chunk: usize,
    },
    Error(ParseError),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Code {
    pub chunks: Vec<Vec<Op>>,
    /// The whole script is one simple command (bash then omits `line N:` in messages).
    pub single: bool,
}

struct LoopCtx {
    cont: usize,
    breaks: Vec<usize>,
    is_for: bool,
}

pub fn compile(script: &Script) -> Code {
    let mut code = Code { chunks: vec![Vec::new()], single: false };
    let mut loops = Vec::new();
    list(&mut code, 0, &script.body, false, &mut loops);
    if let Some(e) = &script.error {
        code.chunks[0].push(Op::Error(e.clone()));
    }
    code.single = script.error.is_none()
        && matches!(script.body.items.as_slice(), [(AndOr { first: Pipeline { bang: false, cmds }, rest }, false)]
            if rest.is_empty() && matches!(cmds.as_slice(), [Cmd::Simple(_)]));
    mark_tails(&mut code);
    code
}

fn new_chunk(code: &mut Code) -> usize {
    code.chunks.push(Vec::new());
    code.chunks.len() - 1
}

fn emit(code: &mut Code, c: usize, op: Op) -> usize {
    code.chunks[c].push(op);
    code.chunks[c].len() - 1
}

fn here(code: &Code, c: usize) -> usize {
    code.chunks[c].len()
}

fn patch(code: &mut Code, c: usize, at: usize, target: usize) {
    if let Some(op) = code.chunks[c].get_mut(at) {
        match op {
            Op::Jump(t) | Op::JumpIfFail(t) | Op::JumpIfOk(t) => *t = target,
            Op::Break { target: t, .. } => *t = target,
            Op::ForNext { exit, .. } => *exit = target,
            _ => {}
        }
    }
}

fn list(code: &mut Code, c: usize, l: &List, tested: bool, loops: &mut Vec<LoopCtx>) {
    let n = l.items.len();
    for (i, (ao, bg)) in l.items.iter().enumerate() {
        if *bg {
            let sub = new_chunk(code);
            and_or(code, sub, ao, false, &mut Vec::new());
            emit(code, c, Op::Spawn(sub));
        } else {
            // Only the last command of a condition list decides; earlier ones are untested.
            and_or(code, c, ao, tested && i + 1 == n, loops);
        }
    }
}

fn and_or(code: &mut Code, c: usize, ao: &AndOr, tested: bool, loops: &mut Vec<LoopCtx>) {
    pipeline(code, c, &ao.first, tested || !ao.rest.is_empty(), loops);
    let n = ao.rest.len();
    for (i, (and, p)) in ao.rest.iter().enumerate() {
        let j = emit(code, c, if *and { Op::JumpIfFail(0) } else { Op::JumpIfOk(0) });
        pipeline(code, c, p, tested || i + 1 < n, loops);
        let end = here(code, c);
        patch(code, c, j, end);
    }
}

fn pipeline(code: &mut Code, c: usize, p: &Pipeline, tested: bool, loops: &mut Vec<LoopCtx>) {
    if p.cmds.len() == 1 {
        command(code, c, &p.cmds[0], tested || p.bang, loops);
    } else {
        let mut stages = Vec::new();
        for cmd in &p.cmds {
            let sub = new_chunk(code);
            command(code, sub, cmd, false, &mut Vec::new());
            stages.push(sub);
        }
        emit(code, c, Op::Pipe(stages));
    }
    if p.bang {
        emit(code, c, Op::Not);
    }
}

fn loop_jump(code: &mut Code, c: usize, s: &Simple, loops: &mut [LoopCtx]) -> bool {
    let Some(name) = s.words.first().and_then(Word::literal) else { return false };
    let is_break = match name {
        "break" => true,
        "continue" => false,
        _ => return false,
    };
    if loops.is_empty() || !s.assigns.is_empty() || !s.redirs.is_empty() {
        return false;
    }
    let levels = match s.words.get(1) {
        None => 1,
        Some(w) => match w.literal().and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n >= 1 => n.min(loops.len()),
            _ => return false,
        },
    };
    let idx = loops.len() - levels;
    // Leaving a for loop drops its iteration state; `continue` keeps the target loop's.
    let inner = if is_break { &loops[idx..] } else { &loops[idx + 1..] };
    let pop_fors = inner.iter().filter(|l| l.is_for).count();
    if is_break {
        let at = emit(code, c, Op::Break { target: 0, pop_fors });
        loops[idx].breaks.push(at);
    } else {
        let target = loops[idx].cont;
        emit(code, c, Op::Break { target, pop_fors });
    }
    true
}

fn command(code: &mut Code, c: usize, cmd: &Cmd, tested: bool, loops: &mut Vec<LoopCtx>) {
    match cmd {
        Cmd::Simple(s) => {
            if !loop_jump(code, c, s, loops) {
                emit(code, c, Op::Run { cmd: s.clone(), tested, tail: false });
            }
        }
        Cmd::Group(l) => list(code, c, l, tested, loops),
        Cmd::Subshell(l) => {
            let sub = new_chunk(code);
            list(code, sub, l, false, &mut Vec::new());
            emit(code, c, Op::Sub(sub));
        }
        Cmd::If { arms, otherwise } => {
            let mut ends = Vec::new();
            for (cond, body) in arms {
                list(code, c, cond, true, loops);
                let skip = emit(code, c, Op::JumpIfFail(0));
                list(code, c, body, tested, loops);
                ends.push(emit(code, c, Op::Jump(0)));
                let next = here(code, c);
                patch(code, c, skip, next);
            }
            match otherwise {
                Some(body) => list(code, c, body, tested, loops),
                // `if` with no branch taken exits 0.
                None => {
                    emit(code, c, Op::SetStatus(0));
                }
            }
            let end = here(code, c);
            for e in ends {
                patch(code, c, e, end);
            }
        }
        Cmd::Loop { until, cond, body } => {
            let top = here(code, c);
            list(code, c, cond, true, loops);
            let exit = emit(code, c, if *until { Op::JumpIfOk(0) } else { Op::JumpIfFail(0) });
            loops.push(LoopCtx { cont: top, breaks: Vec::new(), is_for: false });
            list(code, c, body, tested, loops);
            let ctx = loops.pop();
            emit(code, c, Op::Jump(top));
            let out = here(code, c);
            patch(code, c, exit, out);
            emit(code, c, Op::SetStatus(0));
            let end = here(code, c);
            for b in ctx.map(|l| l.breaks).unwrap_or_default() {
                patch(code, c, b, end);
            }
        }
        Cmd::For { var, words, body } => {
            emit(code, c, Op::ForInit { words: words.clone() });
            let next = emit(code, c, Op::ForNext { var: var.clone(), exit: 0 });
            loops.push(LoopCtx { cont: next, breaks: Vec::new(), is_for: true });
            list(code, c, body, tested, loops);
            let ctx = loops.pop();
            emit(code, c, Op::Jump(next));
            let end = here(code, c);
            patch(code, c, next, end);
            for b in ctx.map(|l| l.breaks).unwrap_or_default() {
                patch(code, c, b, end);
            }
        }
        Cmd::Func { name, body } => {
            let sub = new_chunk(code);
            command(code, sub, body, false, &mut Vec::new());
            emit(code, c, Op::DefFunc { name: name.clone(), chunk: sub });
        }
    }
}

/// A command is in tail position when every path after it reaches the end of its chunk
/// through jumps only.
fn mark_tails(code: &mut Code) {
    for c in 0..code.chunks.len() {
        for pc in 0..code.chunks[c].len() {
            if matches!(code.chunks[c][pc], Op::Run { .. }) {
                let t = reaches_end(&code.chunks[c], pc + 1, 0);
                if let Op::Run { tail, .. } = &mut code.chunks[c][pc] {
                    *tail = t;
                }
            }
        }
    }
}

fn reaches_end(ops: &[Op], pc: usize, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match ops.get(pc) {
        None => true,
        Some(Op::Jump(t)) => *t > pc && reaches_end(ops, *t, depth + 1),
        Some(Op::JumpIfFail(t) | Op::JumpIfOk(t)) => {
            *t > pc && reaches_end(ops, *t, depth + 1) && reaches_end(ops, pc + 1, depth + 1)
        }
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::shell::parse;
    use super::*;

    fn tails(src: &str) -> Vec<bool> {
        let code = compile(&parse(src));
        code.chunks[0]
            .iter()
            .filter_map(|op| match op {
                Op::Run { tail, .. } => Some(*tail),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tail_positions_follow_ash_exec_rule() {
        assert_eq!(tails("date && no"), vec![false, true]);
        assert_eq!(tails("a; b"), vec![false, true]);
        assert_eq!(tails("sleep 3600; echo done"), vec![false, true]);
        assert_eq!(tails("if a; then b; else c; fi"), vec![false, true, true]);
        assert_eq!(tails("if a; then b; fi"), vec![false, true]);
        assert_eq!(tails("while true; do sleep 1; done"), vec![false, false]);
        assert_eq!(tails("! a"), vec![false]);
        assert!(compile(&parse("sleep 1")).single);
    }
}
