//! A small markdown renderer for lesson prose: paragraphs, headings, lists, quotes, fenced code,
//! and inline `code`, **bold**, *emphasis* and [links](https://...). Everything is HTML-escaped
//! first, so lesson text can never inject markup.

pub fn to_html(markdown: &str) -> String {
    let mut html = String::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut list: Option<&'static str> = None;
    let mut lines = markdown.lines().peekable();

    fn flush(html: &mut String, paragraph: &mut Vec<String>) {
        if !paragraph.is_empty() {
            html.push_str(&format!("<p>{}</p>", inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    }
    fn close_list(html: &mut String, list: &mut Option<&'static str>) {
        if let Some(tag) = list.take() {
            html.push_str(&format!("</{tag}>"));
        }
    }

    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if let Some(lang) = trimmed.strip_prefix("```") {
            flush(&mut html, &mut paragraph);
            close_list(&mut html, &mut list);
            let mut code = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim() == "```" {
                    break;
                }
                code.push(escape(inner));
            }
            let class =
                if lang.trim().is_empty() { String::new() } else { format!(" class=\"lang-{}\"", escape(lang.trim())) };
            html.push_str(&format!("<pre><code{class}>{}</code></pre>", code.join("\n")));
        } else if list.is_some() && line.starts_with("  ") && html.ends_with("</li>") {
            // A list item continued on an indented line.
            html.truncate(html.len() - "</li>".len());
            html.push(' ');
            html.push_str(&inline(trimmed));
            html.push_str("</li>");
        } else if trimmed.is_empty() {
            flush(&mut html, &mut paragraph);
            close_list(&mut html, &mut list);
        } else if let Some((level, text)) = heading(trimmed) {
            flush(&mut html, &mut paragraph);
            close_list(&mut html, &mut list);
            html.push_str(&format!("<h{level}>{}</h{level}>", inline(text)));
        } else if let Some(item) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
            flush(&mut html, &mut paragraph);
            if list != Some("ul") {
                close_list(&mut html, &mut list);
                html.push_str("<ul>");
                list = Some("ul");
            }
            html.push_str(&format!("<li>{}</li>", inline(item)));
        } else if let Some(item) = numbered(trimmed) {
            flush(&mut html, &mut paragraph);
            if list != Some("ol") {
                close_list(&mut html, &mut list);
                html.push_str("<ol>");
                list = Some("ol");
            }
            html.push_str(&format!("<li>{}</li>", inline(item)));
        } else if let Some(quote) = trimmed.strip_prefix("> ") {
            flush(&mut html, &mut paragraph);
            close_list(&mut html, &mut list);
            html.push_str(&format!("<blockquote>{}</blockquote>", inline(quote)));
        } else {
            paragraph.push(trimmed.to_string());
        }
    }
    flush(&mut html, &mut paragraph);
    close_list(&mut html, &mut list);
    html
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    if (1..=4).contains(&level) && line[level..].starts_with(' ') {
        // Lesson headings sit under the step title, so they start at h3.
        Some(((level + 2).min(6), line[level..].trim()))
    } else {
        None
    }
}

fn numbered(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        Some(&line[digits + 2..])
    } else {
        None
    }
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Inline spans, on already-split text. Code spans are literal.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        out.push_str(&emphasis(&escape(&rest[..start])));
        match rest[start + 1..].find('`') {
            Some(len) => {
                out.push_str(&format!("<code>{}</code>", escape(&rest[start + 1..start + 1 + len])));
                rest = &rest[start + 2 + len..];
            }
            None => {
                out.push_str(&escape(&rest[start..]));
                rest = "";
            }
        }
    }
    out.push_str(&emphasis(&escape(rest)));
    out
}

/// `**bold**`, `*em*` and `[text](url)` on escaped text.
fn emphasis(text: &str) -> String {
    let bold = pairs(text, "**", "strong");
    let em = pairs(&bold, "*", "em");
    links(&em)
}

fn pairs(text: &str, marker: &str, tag: &str) -> String {
    let parts: Vec<&str> = text.split(marker).collect();
    if parts.len() < 3 {
        return text.to_string();
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        out.push_str(part);
        if i + 1 < parts.len() {
            let closing = i % 2 == 1;
            let unmatched_last = i + 2 == parts.len() && parts.len().is_multiple_of(2);
            if unmatched_last {
                out.push_str(marker);
            } else {
                out.push_str(&if closing { format!("</{tag}>") } else { format!("<{tag}>") });
            }
        }
    }
    out
}

fn links(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else { break };
        let Some(end) = after[close + 2..].find(')') else { break };
        let label = &after[..close];
        let url = &after[close + 2..close + 2 + end];
        let safe = url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/');
        out.push_str(&rest[..open]);
        if safe {
            let external = if url.starts_with('/') { "" } else { " target=\"_blank\" rel=\"noopener\"" };
            out.push_str(&format!("<a href=\"{url}\"{external}>{label}</a>"));
        } else {
            out.push_str(label);
        }
        rest = &after[close + 3 + end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn blocks_and_inlines() {
        assert_eq!(
            to_html("Run `date` **now**.\nThen *wait*."),
            "<p>Run <code>date</code> <strong>now</strong>. Then <em>wait</em>.</p>"
        );
        assert_eq!(to_html("- a\n- b\n\n1. c"), "<ul><li>a</li><li>b</li></ul><ol><li>c</li></ol>");
        assert_eq!(to_html("- one\n  more\n- two"), "<ul><li>one more</li><li>two</li></ul>");
        assert_eq!(to_html("```\n<x> & y\n```"), "<pre><code>&lt;x&gt; &amp; y</code></pre>");
        assert_eq!(
            to_html("See [docs](https://aws.amazon.com/)."),
            "<p>See <a href=\"https://aws.amazon.com/\" target=\"_blank\" rel=\"noopener\">docs</a>.</p>"
        );
    }

    #[test]
    fn never_injects_markup() {
        let html = to_html("<script>alert(1)</script> [x](javascript:alert(1)) `<b>`");
        assert!(!html.contains("<script>") && !html.contains("javascript:") && !html.contains("<b>"));
        assert_eq!(to_html("2 * 3 = 6"), "<p>2 * 3 = 6</p>");
    }
}
