//! Parser for the POSIX shell subset that `command`/`args` scripts use (`sh -c`, `bash -c`):
//! lists, `&&`/`||`, pipelines, `&`, `!`, `if`/`while`/`until`/`for`, `{ }`, `( )`, functions,
//! redirections, quoting and parameter/command/arithmetic expansion. Anything else is a syntax
//! error with the shell's own wording (rendered by `script.rs` per shell flavour), because a
//! real shell would refuse it too. Parsing never panics: every failure is a [`ParseError`].

/// One word before expansion: literal and expandable pieces, each remembering its quoting.
#[derive(Debug, Clone, PartialEq)]
pub struct Word(pub Vec<Part>);

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Unquoted literal text.
    Lit(String),
    /// Text from `'…'`, `"…"` or a backslash escape: never split.
    Quoted(String),
    Param {
        name: String,
        op: ParamOp,
        quoted: bool,
    },
    CmdSub {
        list: Box<List>,
        quoted: bool,
    },
    Arith {
        expr: String,
        quoted: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#X}`
    Length,
    /// `${X-w}` / `${X:-w}` (colon: also when empty)
    Default(bool, Word),
    Assign(bool, Word),
    Alt(bool, Word),
    Error(bool, Word),
    /// `${X%w}` / `${X%%w}`: remove a literal suffix (patterns are matched literally).
    TrimSuffix(Word),
    TrimPrefix(Word),
}

impl Word {
    /// The text if the word is one unquoted literal (keywords, function names, numbers).
    pub fn literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redir {
    pub fd: u32,
    pub op: RedirOp,
    pub target: Word,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RedirOp {
    /// `>`, `>|`
    Out,
    Append,
    In,
    /// `>&N`, `<&N`
    Dup,
    /// bash `&>` / `&>>`: stdout and stderr
    Both(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    /// 1-based line of the command (bash and dash print it in error messages).
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    Simple(Simple),
    Group(List),
    Subshell(List),
    If { arms: Vec<(List, List)>, otherwise: Option<List> },
    Loop { until: bool, cond: List, body: List },
    For { var: String, words: Option<Vec<Word>>, body: List },
    Func { name: String, body: Box<Cmd> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Cmd>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    /// `(true for &&, pipeline)`
    pub rest: Vec<(bool, Pipeline)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct List {
    /// `(and-or list, run in background)`
    pub items: Vec<(AndOr, bool)>,
}

/// What went wrong, in shell-neutral terms.
#[derive(Debug, Clone, PartialEq)]
pub enum ParseErrorKind {
    /// A token where it cannot stand, e.g. `fi` or `)`.
    Unexpected(String),
    /// Input ended inside a construct; the keyword that was expected, if any.
    Eof(Option<&'static str>),
    /// `'` or `"` or `` ` `` never closed.
    Unterminated(char),
    BadSubstitution,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub line: usize,
}

/// A parsed script: the complete lines that parsed, then the error that stopped the parser.
/// Shells parse and run a `-c` string line by line, so lines before a syntax error still run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Script {
    pub body: List,
    pub error: Option<ParseError>,
}

pub fn parse(src: &str) -> Script {
    let chars: Vec<char> = src.chars().collect();
    let mut p = Parser { lx: Lexer { s: &chars, i: 0, line: 1, depth: 0 }, peeked: None };
    let mut body = List::default();
    loop {
        match p.top_line() {
            Ok(Some(list)) => body.items.extend(list.items),
            Ok(None) => return Script { body, error: None },
            Err(e) => return Script { body, error: Some(e) },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(Word),
    Op(&'static str),
    Redir(Option<u32>, &'static str),
    Newline,
    Eof,
}

/// Nesting bound for `$( … )` inside `$( … )`: keeps the recursion far from the stack's end.
const MAX_DEPTH: usize = 24;

struct Lexer<'a> {
    s: &'a [char],
    i: usize,
    line: usize,
    depth: usize,
}

fn is_meta(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>')
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn err(&self, kind: ParseErrorKind) -> ParseError {
        ParseError { kind, line: self.line }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn token(&mut self) -> Result<Tok, ParseError> {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r') => {
                    self.i += 1;
                }
                Some('\\') if self.at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(c) = self.peek() else { return Ok(Tok::Eof) };
        if c == '\n' {
            self.bump();
            return Ok(Tok::Newline);
        }
        const OPS: [&str; 10] = ["&&", "||", ";;", "&>>", "&>", ";", "&", "|", "(", ")"];
        for op in OPS {
            if self.starts_with(op) {
                self.i += op.chars().count();
                if op.starts_with("&>") {
                    return Ok(Tok::Redir(None, op));
                }
                return Ok(Tok::Op(op));
            }
        }
        // An IO number: digits directly followed by `<` or `>`.
        let digits = self.s[self.i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && matches!(self.at(digits), Some('<' | '>')) {
            let n: String = self.s[self.i..self.i + digits].iter().collect();
            self.i += digits;
            let op = self.redir_op();
            return Ok(Tok::Redir(Some(n.parse().unwrap_or(u32::MAX)), op));
        }
        if matches!(c, '<' | '>') {
            let op = self.redir_op();
            return Ok(Tok::Redir(None, op));
        }
        Ok(Tok::Word(self.word()?))
    }

    fn starts_with(&self, op: &str) -> bool {
        op.chars().enumerate().all(|(k, c)| self.at(k) == Some(c))
    }

    fn redir_op(&mut self) -> &'static str {
        for op in [">>", ">&", ">|", "<&", "<>", "<<", ">", "<"] {
            if self.starts_with(op) {
                self.i += op.len();
                return op;
            }
        }
        ">"
    }

    fn word(&mut self) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                '\'' => {
                    flush(&mut parts, &mut lit);
                    parts.push(Part::Quoted(self.single_quoted()?));
                }
                '"' => {
                    flush(&mut parts, &mut lit);
                    self.bump();
                    self.double_quoted(&mut parts)?;
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c) => {
                            flush(&mut parts, &mut lit);
                            parts.push(Part::Quoted(c.to_string()));
                        }
                        None => lit.push('\\'),
                    }
                }
                '$' => {
                    if let Some(p) = self.dollar(false)? {
                        flush(&mut parts, &mut lit);
                        parts.push(p);
                    } else {
                        lit.push('$');
                    }
                }
                '`' => {
                    flush(&mut parts, &mut lit);
                    self.bump();
                    parts.push(self.backquote(false)?);
                }
                _ => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
        flush(&mut parts, &mut lit);
        Ok(Word(parts))
    }

    /// `'…'` from the opening quote: everything literal up to the closing one.
    fn single_quoted(&mut self) -> Result<String, ParseError> {
        self.bump();
        let mut q = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err(ParseErrorKind::Unterminated('\''))),
                Some('\'') => return Ok(q),
                Some(c) => q.push(c),
            }
        }
    }

    fn double_quoted(&mut self, parts: &mut Vec<Part>) -> Result<(), ParseError> {
        let mut q = String::new();
        loop {
            match self.peek() {
                None => return Err(self.err(ParseErrorKind::Unterminated('"'))),
                Some('"') => {
                    self.bump();
                    break;
                }
                Some('\\') => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c @ ('"' | '\\' | '$' | '`')) => q.push(c),
                        Some(c) => {
                            q.push('\\');
                            q.push(c);
                        }
                        None => return Err(self.err(ParseErrorKind::Unterminated('"'))),
                    }
                }
                Some('$') => {
                    if let Some(p) = self.dollar(true)? {
                        parts.push(Part::Quoted(std::mem::take(&mut q)));
                        parts.push(p);
                    } else {
                        q.push('$');
                    }
                }
                Some('`') => {
                    self.bump();
                    parts.push(Part::Quoted(std::mem::take(&mut q)));
                    parts.push(self.backquote(true)?);
                }
                Some(c) => {
                    self.bump();
                    q.push(c);
                }
            }
        }
        // Keep an empty quoted part so that `""` is one (empty) field.
        parts.push(Part::Quoted(q));
        Ok(())
    }

    /// After `$`: a parameter, `${…}`, `$(…)` or `$((…))`; `None` when `$` is literal.
    fn dollar(&mut self, quoted: bool) -> Result<Option<Part>, ParseError> {
        match self.at(1) {
            Some('{') => {
                self.i += 2;
                self.braced(quoted).map(Some)
            }
            Some('(') if self.at(2) == Some('(') => {
                self.i += 3;
                let start = self.i;
                let mut depth = 0usize;
                loop {
                    match self.bump() {
                        None => return Err(self.err(ParseErrorKind::Eof(Some("))")))),
                        Some('(') => depth += 1,
                        Some(')') if depth > 0 => depth -= 1,
                        Some(')') if self.peek() == Some(')') => {
                            let expr: String = self.s[start..self.i - 1].iter().collect();
                            self.i += 1;
                            return Ok(Some(Part::Arith { expr, quoted }));
                        }
                        Some(_) => {}
                    }
                }
            }
            Some('(') => {
                self.i += 2;
                let list = self.subscript(')')?;
                Ok(Some(Part::CmdSub { list: Box::new(list), quoted }))
            }
            Some(c) if is_name_start(c) => {
                self.i += 1;
                let name = self.name();
                Ok(Some(Part::Param { name, op: ParamOp::Plain, quoted }))
            }
            Some(c @ ('?' | '!' | '$' | '#' | '@' | '*' | '-' | '0'..='9')) => {
                self.i += 2;
                Ok(Some(Part::Param { name: c.to_string(), op: ParamOp::Plain, quoted }))
            }
            _ => {
                self.i += 1;
                Ok(None)
            }
        }
    }

    fn name(&mut self) -> String {
        let mut n = String::new();
        while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
            n.push(c);
            self.i += 1;
        }
        n
    }

    fn braced(&mut self, quoted: bool) -> Result<Part, ParseError> {
        let bad = |l: &Self| l.err(ParseErrorKind::BadSubstitution);
        let length = self.peek() == Some('#') && self.at(1).is_some_and(|c| c != '}');
        if length {
            self.i += 1;
        }
        let name = match self.peek() {
            Some(c) if is_name_start(c) => self.name(),
            Some(c @ ('?' | '!' | '$' | '#' | '@' | '*' | '-' | '0'..='9')) => {
                self.i += 1;
                c.to_string()
            }
            _ => return Err(bad(self)),
        };
        if length {
            return match self.bump() {
                Some('}') => Ok(Part::Param { name, op: ParamOp::Length, quoted }),
                _ => Err(bad(self)),
            };
        }
        let colon = self.peek() == Some(':');
        if colon {
            self.i += 1;
        }
        let op_char = self.bump();
        if op_char == Some('}') && !colon {
            return Ok(Part::Param { name, op: ParamOp::Plain, quoted });
        }
        let mut double = false;
        if matches!(op_char, Some('%' | '#')) && self.peek() == op_char {
            self.i += 1;
            double = true;
        }
        let _ = double; // longest and shortest match agree for the literal patterns modelled
        let word = self.brace_word()?;
        let op = match (op_char, colon) {
            (Some('-'), c) => ParamOp::Default(c, word),
            (Some('='), c) => ParamOp::Assign(c, word),
            (Some('+'), c) => ParamOp::Alt(c, word),
            (Some('?'), c) => ParamOp::Error(c, word),
            (Some('%'), false) => ParamOp::TrimSuffix(word),
            (Some('#'), false) => ParamOp::TrimPrefix(word),
            _ => return Err(bad(self)),
        };
        Ok(Part::Param { name, op, quoted })
    }

    /// The word inside `${X:-word}` up to the closing brace.
    fn brace_word(&mut self) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            match self.peek() {
                None => return Err(self.err(ParseErrorKind::Eof(Some("}")))),
                Some('}') => {
                    self.i += 1;
                    break;
                }
                Some('\'') => {
                    flush(&mut parts, &mut lit);
                    parts.push(Part::Quoted(self.single_quoted()?));
                }
                Some('"') => {
                    flush(&mut parts, &mut lit);
                    self.bump();
                    self.double_quoted(&mut parts)?;
                }
                Some('$') => match self.dollar(false)? {
                    Some(p) => {
                        flush(&mut parts, &mut lit);
                        parts.push(p);
                    }
                    None => lit.push('$'),
                },
                Some(c) => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
        flush(&mut parts, &mut lit);
        Ok(Word(parts))
    }

    fn backquote(&mut self, quoted: bool) -> Result<Part, ParseError> {
        let mut src = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err(ParseErrorKind::Unterminated('`'))),
                Some('`') => break,
                Some('\\') => match self.bump() {
                    Some(c @ ('`' | '\\' | '$')) => src.push(c),
                    Some(c) => {
                        src.push('\\');
                        src.push(c);
                    }
                    None => return Err(self.err(ParseErrorKind::Unterminated('`'))),
                },
                Some(c) => src.push(c),
            }
        }
        if self.depth >= MAX_DEPTH {
            return Err(self.err(ParseErrorKind::BadSubstitution));
        }
        let chars: Vec<char> = src.chars().collect();
        let mut p = Parser { lx: Lexer { s: &chars, i: 0, line: self.line, depth: self.depth + 1 }, peeked: None };
        let list = p.list_until(&[])?;
        match p.next()? {
            Tok::Eof => Ok(Part::CmdSub { list: Box::new(list), quoted }),
            t => Err(p.lx.err(ParseErrorKind::Unexpected(tok_text(&t)))),
        }
    }

    /// Parses a nested script up to `close` (for `$(…)`), continuing in the same input.
    fn subscript(&mut self, close: char) -> Result<List, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err(ParseErrorKind::BadSubstitution));
        }
        let mut p = Parser { lx: Lexer { s: self.s, i: self.i, line: self.line, depth: self.depth + 1 }, peeked: None };
        let list = p.list_until(&[])?;
        let t = p.next()?;
        self.i = p.lx.i;
        self.line = p.lx.line;
        match t {
            Tok::Op(")") if close == ')' => Ok(list),
            Tok::Eof => Err(self.err(ParseErrorKind::Eof(Some(")")))),
            t => Err(self.err(ParseErrorKind::Unexpected(tok_text(&t)))),
        }
    }
}

fn flush(parts: &mut Vec<Part>, lit: &mut String) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Word(w) => w.literal().unwrap_or("word").to_string(),
        Tok::Op(o) => o.to_string(),
        Tok::Redir(_, o) => o.to_string(),
        Tok::Newline => "newline".into(),
        Tok::Eof => "end of file".into(),
    }
}

const RESERVED: [&str; 14] =
    ["if", "then", "elif", "else", "fi", "while", "until", "do", "done", "for", "case", "esac", "{", "}"];

struct Parser<'a> {
    lx: Lexer<'a>,
    peeked: Option<Tok>,
}

impl Parser<'_> {
    fn peek(&mut self) -> Result<&Tok, ParseError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lx.token()?);
        }
        Ok(self.peeked.get_or_insert(Tok::Eof))
    }

    fn next(&mut self) -> Result<Tok, ParseError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lx.token(),
        }
    }

    fn unexpected(&self, t: &Tok, expecting: Option<&'static str>) -> ParseError {
        match t {
            Tok::Eof => self.lx.err(ParseErrorKind::Eof(expecting)),
            t => self.lx.err(ParseErrorKind::Unexpected(tok_text(t))),
        }
    }

    fn peek_keyword(&mut self) -> Result<Option<String>, ParseError> {
        Ok(match self.peek()? {
            Tok::Word(w) => w.literal().filter(|s| RESERVED.contains(s) || *s == "!").map(str::to_string),
            _ => None,
        })
    }

    fn skip_newlines(&mut self) -> Result<(), ParseError> {
        while *self.peek()? == Tok::Newline {
            self.next()?;
        }
        Ok(())
    }

    /// One top-level line (complete commands up to a newline), or `None` at the end.
    fn top_line(&mut self) -> Result<Option<List>, ParseError> {
        self.skip_newlines()?;
        if *self.peek()? == Tok::Eof {
            return Ok(None);
        }
        let mut list = List::default();
        loop {
            let ao = self.and_or()?;
            match self.next()? {
                Tok::Op("&") => list.items.push((ao, true)),
                Tok::Op(";") => list.items.push((ao, false)),
                Tok::Newline | Tok::Eof => {
                    list.items.push((ao, false));
                    return Ok(Some(list));
                }
                t => return Err(self.unexpected(&t, None)),
            }
            if matches!(self.peek()?, Tok::Newline | Tok::Eof) {
                self.next()?;
                return Ok(Some(list));
            }
        }
    }

    /// A compound list, ending before one of `ends` (keywords) or `)` / end of input.
    fn list_until(&mut self, ends: &[&str]) -> Result<List, ParseError> {
        let mut list = List::default();
        loop {
            self.skip_newlines()?;
            if let Some(k) = self.peek_keyword()? {
                if ends.contains(&k.as_str()) {
                    return Ok(list);
                }
            }
            if matches!(self.peek()?, Tok::Eof | Tok::Op(")")) {
                return Ok(list);
            }
            let ao = self.and_or()?;
            let bg = match self.peek()? {
                Tok::Op("&") => {
                    self.next()?;
                    true
                }
                Tok::Op(";") | Tok::Newline => {
                    self.next()?;
                    false
                }
                _ => false,
            };
            list.items.push((ao, bg));
            if !matches!(self.peek()?, Tok::Newline | Tok::Eof | Tok::Op(")") | Tok::Word(_)) {
                let t = self.next()?;
                return Err(self.unexpected(&t, None));
            }
        }
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let and = match self.peek()? {
                Tok::Op("&&") => true,
                Tok::Op("||") => false,
                _ => return Ok(AndOr { first, rest }),
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((and, self.pipeline()?));
        }
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut bang = false;
        if self.peek_keyword()?.as_deref() == Some("!") {
            self.next()?;
            bang = true;
        }
        let mut cmds = vec![self.command()?];
        while *self.peek()? == Tok::Op("|") {
            self.next()?;
            self.skip_newlines()?;
            cmds.push(self.command()?);
        }
        Ok(Pipeline { bang, cmds })
    }

    fn expect_keyword(&mut self, kw: &'static str) -> Result<(), ParseError> {
        if self.peek_keyword()?.as_deref() == Some(kw) {
            self.next()?;
            return Ok(());
        }
        let t = self.next()?;
        Err(self.unexpected(&t, Some(kw)))
    }

    fn nonempty(&self, list: &List, t: &Tok) -> Result<(), ParseError> {
        if list.items.is_empty() {
            return Err(self.unexpected(t, None));
        }
        Ok(())
    }

    fn command(&mut self) -> Result<Cmd, ParseError> {
        let kw = self.peek_keyword()?;
        let cmd = match kw.as_deref() {
            Some("if") => {
                self.next()?;
                let mut arms = Vec::new();
                let mut otherwise = None;
                loop {
                    let cond = self.list_until(&["then"])?;
                    let t = self.peek()?.clone();
                    self.nonempty(&cond, &t)?;
                    self.expect_keyword("then")?;
                    let body = self.list_until(&["elif", "else", "fi"])?;
                    let t = self.peek()?.clone();
                    self.nonempty(&body, &t)?;
                    arms.push((cond, body));
                    match self.peek_keyword()?.as_deref() {
                        Some("elif") => {
                            self.next()?;
                        }
                        Some("else") => {
                            self.next()?;
                            let body = self.list_until(&["fi"])?;
                            let t = self.peek()?.clone();
                            self.nonempty(&body, &t)?;
                            otherwise = Some(body);
                            self.expect_keyword("fi")?;
                            break;
                        }
                        _ => {
                            self.expect_keyword("fi")?;
                            break;
                        }
                    }
                }
                Cmd::If { arms, otherwise }
            }
            Some(k @ ("while" | "until")) => {
                let until = k == "until";
                self.next()?;
                let cond = self.list_until(&["do"])?;
                let t = self.peek()?.clone();
                self.nonempty(&cond, &t)?;
                self.expect_keyword("do")?;
                let body = self.list_until(&["done"])?;
                let t = self.peek()?.clone();
                self.nonempty(&body, &t)?;
                self.expect_keyword("done")?;
                Cmd::Loop { until, cond, body }
            }
            Some("for") => {
                self.next()?;
                let var = match self.next()? {
                    Tok::Word(w) => match w.literal() {
                        Some(n) if n.chars().next().is_some_and(is_name_start) && n.chars().all(is_name_char) => {
                            n.to_string()
                        }
                        _ => return Err(self.lx.err(ParseErrorKind::Unexpected("word".into()))),
                    },
                    t => return Err(self.unexpected(&t, None)),
                };
                self.skip_newlines_or_semi()?;
                let mut words = None;
                if self.peek_keyword()?.is_none() {
                    if let Tok::Word(w) = self.peek()? {
                        if w.literal() == Some("in") {
                            self.next()?;
                            let mut ws = Vec::new();
                            while let Tok::Word(_) = self.peek()? {
                                if let Tok::Word(w) = self.next()? {
                                    ws.push(w);
                                }
                            }
                            words = Some(ws);
                            match self.next()? {
                                Tok::Op(";") | Tok::Newline => {}
                                t => return Err(self.unexpected(&t, Some("do"))),
                            }
                        }
                    }
                }
                self.skip_newlines()?;
                self.expect_keyword("do")?;
                let body = self.list_until(&["done"])?;
                let t = self.peek()?.clone();
                self.nonempty(&body, &t)?;
                self.expect_keyword("done")?;
                Cmd::For { var, words, body }
            }
            Some("{") => {
                self.next()?;
                let body = self.list_until(&["}"])?;
                let t = self.peek()?.clone();
                self.nonempty(&body, &t)?;
                self.expect_keyword("}")?;
                Cmd::Group(body)
            }
            Some(k @ ("then" | "elif" | "else" | "fi" | "do" | "done" | "}" | "esac" | "case")) => {
                // `case` is not modelled: refusing it beats silently misreading it.
                return Err(self.lx.err(ParseErrorKind::Unexpected(k.to_string())));
            }
            _ => {
                if *self.peek()? == Tok::Op("(") {
                    self.next()?;
                    let body = self.list_until(&[])?;
                    match self.next()? {
                        Tok::Op(")") => {}
                        t => return Err(self.unexpected(&t, Some(")"))),
                    }
                    let t = self.peek()?.clone();
                    self.nonempty(&body, &t)?;
                    Cmd::Subshell(body)
                } else {
                    return self.simple();
                }
            }
        };
        // Redirections after a compound command are accepted and ignored.
        while let Tok::Redir(..) = self.peek()? {
            self.next()?;
            match self.next()? {
                Tok::Word(_) => {}
                t => return Err(self.unexpected(&t, None)),
            }
        }
        Ok(cmd)
    }

    fn skip_newlines_or_semi(&mut self) -> Result<(), ParseError> {
        self.skip_newlines()?;
        if *self.peek()? == Tok::Op(";") {
            self.next()?;
            self.skip_newlines()?;
        }
        Ok(())
    }

    fn simple(&mut self) -> Result<Cmd, ParseError> {
        let line = self.lx.line;
        let mut s = Simple { assigns: Vec::new(), words: Vec::new(), redirs: Vec::new(), line };
        loop {
            match self.peek()? {
                Tok::Word(_) => {
                    let Tok::Word(w) = self.next()? else { break };
                    if s.words.is_empty() {
                        if let Some((name, value)) = split_assignment(&w) {
                            s.assigns.push((name, value));
                            continue;
                        }
                        // `name() compound` — a function definition.
                        if *self.peek()? == Tok::Op("(") && s.assigns.is_empty() {
                            if let Some(name) = w.literal().map(str::to_string) {
                                self.next()?;
                                match self.next()? {
                                    Tok::Op(")") => {}
                                    t => return Err(self.unexpected(&t, None)),
                                }
                                self.skip_newlines()?;
                                let body = self.command()?;
                                return Ok(Cmd::Func { name, body: Box::new(body) });
                            }
                        }
                    }
                    s.words.push(w);
                }
                Tok::Redir(..) => {
                    let Tok::Redir(fd, op) = self.next()? else { break };
                    let target = match self.next()? {
                        Tok::Word(w) => w,
                        t => return Err(self.unexpected(&t, None)),
                    };
                    let (op, default_fd) = match op {
                        ">" | ">|" => (RedirOp::Out, 1),
                        ">>" => (RedirOp::Append, 1),
                        "<" | "<>" => (RedirOp::In, 0),
                        ">&" => (RedirOp::Dup, 1),
                        "<&" => (RedirOp::Dup, 0),
                        "&>" => (RedirOp::Both(false), 1),
                        "&>>" => (RedirOp::Both(true), 1),
                        // Here-documents are not modelled.
                        _ => return Err(self.lx.err(ParseErrorKind::Unexpected(op.to_string()))),
                    };
                    s.redirs.push(Redir { fd: fd.unwrap_or(default_fd), op, target });
                }
                _ => break,
            }
        }
        if s.words.is_empty() && s.assigns.is_empty() && s.redirs.is_empty() {
            let t = self.next()?;
            return Err(self.unexpected(&t, None));
        }
        // bash's `function name { … }`
        if s.words.len() == 2 && s.words[0].literal() == Some("function") && s.assigns.is_empty() {
            if let Some(name) = s.words[1].literal().map(str::to_string) {
                self.skip_newlines()?;
                if self.peek_keyword()?.as_deref() == Some("{") {
                    let body = self.command()?;
                    return Ok(Cmd::Func { name, body: Box::new(body) });
                }
            }
        }
        Ok(Cmd::Simple(s))
    }
}

fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = w.0.first() else { return None };
    let eq = first.find('=')?;
    let name = &first[..eq];
    if !name.chars().next().is_some_and(is_name_start) || !name.chars().all(is_name_char) {
        return None;
    }
    let mut parts = Vec::new();
    let rest = &first[eq + 1..];
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts.extend(w.0[1..].iter().cloned());
    Some((name.to_string(), Word(parts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> List {
        let s = parse(src);
        assert_eq!(s.error, None, "{src}");
        s.body
    }

    #[test]
    fn parses_conformance_scripts() {
        let l = ok("trap 'sleep 5; exit 0' TERM; sleep 60 & wait $!; exit 0");
        assert_eq!(l.items.len(), 4);
        assert!(l.items[1].1, "sleep 60 runs in the background");
        let l = ok("nc -zv localhost 5000 &&  sleep 1d");
        assert_eq!(l.items[0].0.rest.len(), 1);
        ok("while true; do echo hi; sleep 1; done");
        ok("if [ -f /tmp/x ]; then echo y; elif false; then :; else echo n; fi");
        ok("for i in 1 2 3; do echo $i; done");
        ok("f() { echo in f; }; f");
        ok("echo \"$(date) ${X:-d} $((1+2))\" `echo hi` > /dev/null 2>&1");
        ok("echo ${VAULT_CONFIG?} | base64 -d > /home/vault/config.json && vault agent -config=/x");
    }

    #[test]
    fn syntax_errors() {
        let e = |s: &str| parse(s).error.map(|e| e.kind);
        assert_eq!(e("if true; then echo"), Some(ParseErrorKind::Eof(Some("fi"))));
        assert_eq!(e("echo 'x"), Some(ParseErrorKind::Unterminated('\'')));
        assert_eq!(e("fi"), Some(ParseErrorKind::Unexpected("fi".into())));
        assert_eq!(e("echo a;;"), Some(ParseErrorKind::Unexpected(";;".into())));
        assert_eq!(e("echo ${"), Some(ParseErrorKind::BadSubstitution));
        assert_eq!(e("while true; do done"), Some(ParseErrorKind::Unexpected("done".into())));
        // Lines before the error still parse (and run).
        let s = parse("echo one\nfi");
        assert_eq!(s.body.items.len(), 1);
        assert!(s.error.is_some());
    }
}
