//! The grammar of a colour and a style as `[colors]` in `config.toml`
//! writes them (`"bold cyan on black"`, `"#005f87"`), read and written back.

use ratatui::style::{Color, Modifier, Style};

/// A colour: an ANSI name (`cyan`, `light_red`, `dark_gray`), `#rrggbb`,
/// an index 0-255, or `reset`.
pub fn parse_color(s: &str) -> Result<Color, String> {
    let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    let c = match norm.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark_gray" | "dark_grey" | "darkgray" | "darkgrey" => Color::DarkGray,
        "light_red" | "lightred" => Color::LightRed,
        "light_green" | "lightgreen" => Color::LightGreen,
        "light_yellow" | "lightyellow" => Color::LightYellow,
        "light_blue" | "lightblue" => Color::LightBlue,
        "light_magenta" | "lightmagenta" => Color::LightMagenta,
        "light_cyan" | "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        hex if hex.starts_with('#') => {
            let h = &hex[1..];
            if h.len() != 6 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(format!("bad colour \"{s}\" (write #rrggbb)"));
            }
            let v = u32::from_str_radix(h, 16).map_err(|_| format!("bad colour \"{s}\""))?;
            Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
        }
        n if n.parse::<u8>().is_ok() => Color::Indexed(n.parse().unwrap_or(0)),
        _ => {
            return Err(format!(
                "unknown colour \"{s}\" (ANSI names such as cyan, light_red, dark_gray, white, reset; or #rrggbb)"
            ));
        }
    };
    Ok(c)
}

fn parse_modifier(s: &str) -> Option<Modifier> {
    Some(match s {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underline" | "underlined" => Modifier::UNDERLINED,
        "reverse" | "reversed" => Modifier::REVERSED,
        "crossed_out" | "strikethrough" => Modifier::CROSSED_OUT,
        "blink" | "slow_blink" => Modifier::SLOW_BLINK,
        _ => return None,
    })
}

/// A style: modifiers, then a foreground colour, then `on` and a background:
/// `"bold cyan on black"`, `"reverse"`, `"#005f87"`, `"on white"`.
pub fn parse_style(s: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let words: Vec<String> = s.split_whitespace().map(str::to_ascii_lowercase).collect();
    if words.is_empty() {
        return Err("empty colour".into());
    }
    let mut fg_set = false;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        if let Some(m) = parse_modifier(w) {
            style = style.add_modifier(m);
        } else if w == "on" {
            let Some(bg) = words.get(i + 1) else {
                return Err(format!("\"{s}\": a colour must follow \"on\""));
            };
            style = style.bg(parse_color(bg)?);
            i += 1;
        } else if !fg_set {
            style = style.fg(parse_color(w)?);
            fg_set = true;
        } else {
            return Err(format!("\"{s}\": unexpected \"{w}\""));
        }
        i += 1;
    }
    Ok(style)
}

/// A style written as `[colors]` takes it: modifiers, colour, `on` colour.
pub fn style_spec(style: Style) -> String {
    let mut words: Vec<String> = Vec::new();
    for (m, name) in [
        (Modifier::BOLD, "bold"),
        (Modifier::DIM, "dim"),
        (Modifier::ITALIC, "italic"),
        (Modifier::UNDERLINED, "underlined"),
        (Modifier::REVERSED, "reversed"),
        (Modifier::CROSSED_OUT, "crossed_out"),
    ] {
        if style.add_modifier.contains(m) {
            words.push(name.into());
        }
    }
    let color = |c: Color| match c {
        Color::Reset => "reset".to_string(),
        Color::Black => "black".into(),
        Color::Red => "red".into(),
        Color::Green => "green".into(),
        Color::Yellow => "yellow".into(),
        Color::Blue => "blue".into(),
        Color::Magenta => "magenta".into(),
        Color::Cyan => "cyan".into(),
        Color::Gray => "gray".into(),
        Color::DarkGray => "dark_gray".into(),
        Color::LightRed => "light_red".into(),
        Color::LightGreen => "light_green".into(),
        Color::LightYellow => "light_yellow".into(),
        Color::LightBlue => "light_blue".into(),
        Color::LightMagenta => "light_magenta".into(),
        Color::LightCyan => "light_cyan".into(),
        Color::White => "white".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
    };
    if let Some(fg) = style.fg {
        words.push(color(fg));
    }
    if let Some(bg) = style.bg {
        words.push(format!("on {}", color(bg)));
    }
    if words.is_empty() {
        "reset".into()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_read_modifiers_colours_and_backgrounds() {
        assert_eq!(
            parse_style("bold cyan on black"),
            Ok(Style::new()
                .fg(Color::Cyan)
                .bg(Color::Black)
                .add_modifier(Modifier::BOLD))
        );
        assert_eq!(
            parse_style("#ff8000"),
            Ok(Style::new().fg(Color::Rgb(255, 128, 0)))
        );
        assert_eq!(
            parse_style("light_red"),
            Ok(Style::new().fg(Color::LightRed))
        );
        assert_eq!(parse_style("reset"), Ok(Style::new().fg(Color::Reset)));
        assert!(parse_style("blurple").is_err());
        assert!(parse_style("#12345").is_err());
        assert!(parse_style("cyan on").is_err());
        assert!(parse_style("cyan red").is_err());
    }

    #[test]
    fn a_style_written_back_reads_the_same() {
        for spec in [
            "bold cyan on black",
            "#ff8000",
            "reversed",
            "on white",
            "dim 42",
        ] {
            let style = parse_style(spec).unwrap();
            assert_eq!(parse_style(&style_spec(style)), Ok(style), "{spec}");
        }
    }
}
