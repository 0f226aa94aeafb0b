//! Colour modes and the app's palette. Shades are quantized to a few levels per class so
//! that unchanged areas stay unchanged on screen (and over SSH cost nothing to redraw).

use ratatui::style::Color;

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ColorMode {
    Truecolor,
    #[value(name = "256")]
    Ansi256,
    #[value(name = "16")]
    Ansi16,
    Mono,
}

impl ColorMode {
    /// From the environment: `NO_COLOR` (any non-empty value) means mono; `COLORTERM` of
    /// `truecolor`/`24bit` means truecolor; a `TERM` with `256color` means 256; `dumb` mono.
    pub fn detect(no_color: Option<&str>, colorterm: Option<&str>, term: Option<&str>) -> Self {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return ColorMode::Mono;
        }
        if colorterm
            .is_some_and(|c| c.eq_ignore_ascii_case("truecolor") || c.eq_ignore_ascii_case("24bit"))
        {
            return ColorMode::Truecolor;
        }
        match term {
            Some(t) if t.contains("256color") || t.contains("direct") => ColorMode::Ansi256,
            Some("dumb") => ColorMode::Mono,
            _ => ColorMode::Ansi16,
        }
    }

    pub fn from_env() -> Self {
        let var = |k| std::env::var(k).ok();
        ColorMode::detect(
            var("NO_COLOR").as_deref(),
            var("COLORTERM").as_deref(),
            var("TERM").as_deref(),
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            ColorMode::Truecolor => "truecolor",
            ColorMode::Ansi256 => "256",
            ColorMode::Ansi16 => "16",
            ColorMode::Mono => "mono",
        }
    }
}

/// Shade levels per class on each side of the field's ramp (0 is the unsure middle).
pub const LEVELS: usize = 8;

/// How many classes have a colour of their own (more wrap around).
pub const CLASSES: usize = 8;

/// Class colours, the confident end of each class's ramp and its points: Playground's
/// orange (its negative class, our 0) and blue (our 1), then six more for multi-class data,
/// chosen to be told apart (CIE76 ΔE ≥ 25 pairwise in truecolor and 256 colours) and to
/// match the sixteen-colour entries of [`CLASS_16`].
const CLASS_RGB: [(u8, u8, u8); CLASSES] = [
    (245, 147, 34),
    (8, 119, 189),
    (64, 170, 90),
    (160, 90, 200),
    (220, 60, 70),
    (40, 180, 180),
    (230, 110, 190),
    (100, 100, 110),
];

/// Playground's colour for p = 0.5 (`#e8eaeb`): the light middle every ramp starts from.
const MIDDLE: (u8, u8, u8) = (232, 234, 235);

/// The boundary line: a dark neutral, neither class, that reads on the light middle.
const BOUNDARY: (u8, u8, u8) = (40, 40, 44);

/// Sixteen colours: each class's confident colour, as an xterm index (yellow for orange: the
/// palette has no orange, and many themes draw colour 3 as one).
const CLASS_16: [u8; CLASSES] = [3, 4, 2, 5, 1, 6, 13, 8];

/// Sixteen colours: the step between the middle and the confident colour, where the
/// palette has one of the same hue between their lightnesses (L* of xterm's defaults in the
/// test `sixteen_colour_ramps_darken_from_the_middle`): bright blue, green, magenta, red.
/// The others go straight from the middle to their colour.
const LEAN_16: [Option<u8>; CLASSES] = [
    None,
    Some(12),
    Some(10),
    Some(13),
    Some(9),
    None,
    None,
    None,
];

/// Sixteen colours: the middle (light grey, L* 91).
const MIDDLE_16: u8 = 7;

/// Sixteen colours: a class's colour in legends and panels (bright: they are on the dark chrome).
const POINT_16: [u8; CLASSES] = [11, 12, 10, 5, 9, 14, 13, 7];

/// Point glyphs without colour, one shape per class: filled and hollow for the first two.
const SHAPES: [char; CLASSES] = ['●', '○', '▲', '△', '■', '□', '◆', '◇'];

/// The lightness difference (CIELAB ΔL*) at which a point keeps its light ink.
const LIGHT_INK_CONTRAST: f64 = 20.0;

/// How far (CIELAB ΔE) a point's class colour must be from the other class's field under
/// it to be drawn as it is.
const FOREIGN_DELTA_E: f64 = 40.0;

/// The same shapes small, for test points.
const SHAPES_SMALL: [char; CLASSES] = ['•', '◦', '▴', '▵', '▪', '▫', '⬩', '⬫'];

/// The same in ASCII (train points; test points in lower case).
const SHAPES_ASCII: [char; CLASSES] = ['X', 'O', 'A', 'V', 'H', 'N', 'Z', 'S'];

/// A sixteen-colour xterm index as ratatui's named colour.
fn named16(i: u8) -> Color {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    NAMED[(i & 15) as usize]
}

/// The sRGB of an xterm palette entry, with xterm's own defaults for the first sixteen.
pub fn xterm_rgb(i: u8) -> (u8, u8, u8) {
    const BASE: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    match i {
        0..=15 => BASE[i as usize],
        16..=231 => {
            const S: [u8; 6] = [0, 95, 135, 175, 215, 255];
            let n = (i - 16) as usize;
            (S[n / 36], S[(n / 6) % 6], S[n % 6])
        }
        _ => {
            let g = 8 + 10 * (i - 232);
            (g, g, g)
        }
    }
}

/// CIELAB (D65) of an sRGB colour: L* in [0, 100], then a*, b*.
pub fn lab((r, g, b): (u8, u8, u8)) -> [f64; 3] {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (lin(r), lin(g), lin(b));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// CIE76 colour difference: the distance between two colours in CIELAB.
pub fn delta_e(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (a, b) = (lab(a), lab(b));
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// The sRGB a terminal with xterm's default palette shows for `c` (`None` for `Reset`).
pub fn shown_rgb(c: Color) -> Option<(u8, u8, u8)> {
    Some(match c {
        Color::Reset => return None,
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => xterm_rgb(i),
        named => {
            let i = (0..16u8).find(|&i| named16(i) == named)?;
            xterm_rgb(i)
        }
    })
}

/// A class's two point inks: a dark and a light tint of its colour.
fn inks_rgb(class: usize) -> [(u8, u8, u8); 2] {
    let c = CLASS_RGB[class % CLASSES];
    [mix(c, (0, 0, 0), 0.68), mix(c, (255, 255, 255), 0.8)]
}

/// The xterm-256 entry (cube or grey ramp) nearest in CIELAB to `want`.
fn nearest_256(want: (u8, u8, u8)) -> u8 {
    nearest_among(want, |_| true).unwrap_or(16)
}

/// The xterm-256 entry (cube or grey ramp) nearest in CIELAB to `want` among those `ok`
/// takes.
fn nearest_among(want: (u8, u8, u8), ok: impl Fn(u8) -> bool) -> Option<u8> {
    (16..=255u8)
        .filter(|&i| ok(i))
        .min_by(|&a, &b| delta_e(xterm_rgb(a), want).total_cmp(&delta_e(xterm_rgb(b), want)))
}

/// Whether a colour `c` (CIELAB) is of the hue `hue`: within [`HUE_TOLERANCE`] of it, or,
/// for a grey `c`, only where the colour wanted (of chroma `want_chroma`) is nearly grey.
fn of_hue(c: [f64; 3], want_chroma: f64, hue: [f64; 3]) -> bool {
    if chroma(c) < 6.0 {
        want_chroma < 12.0
    } else {
        hue_gap(c, hue) <= HUE_TOLERANCE
    }
}

/// The point inks in 256 colours.
fn inks_256() -> &'static [[u8; 2]; CLASSES] {
    static INKS: std::sync::OnceLock<[[u8; 2]; CLASSES]> = std::sync::OnceLock::new();
    // The dark ink of the class's own hue (never a grey: the dark greys are the
    // boundary's) and no lighter than wanted (the cube's first dark steps are mid-tones),
    // the light one the nearest entry.
    INKS.get_or_init(|| {
        std::array::from_fn(|c| {
            let [dark, light] = inks_rgb(c);
            let hue = lab(CLASS_RGB[c]);
            // Dark enough to stand out from the class's own confident field by 22 L*;
            // among those, the nearest in hue (then in colour).
            let most = lab(xterm_rgb(ramps_256()[c][LEVELS]))[0] - 22.0;
            let score = |i: u8| {
                let l = lab(xterm_rgb(i));
                hue_gap(l, hue) + delta_e(xterm_rgb(i), dark) / 2.0
            };
            let dark = (16..=255u8)
                .filter(|&i| {
                    let l = lab(xterm_rgb(i));
                    chroma(l) >= 12.0 && l[0] <= most
                })
                .min_by(|&a, &b| score(a).total_cmp(&score(b)))
                .unwrap_or_else(|| nearest_256(dark));
            [dark, nearest_256(light)]
        })
    })
}

/// Sixteen colours: each class's dark and light ink. The palette's bright variants are too
/// close to their colours for a dot to show on its own field, so the light ink is white
/// (for orange, bright yellow; its dark ink is red, as its own yellow would vanish).
const INK_16: [[u8; 2]; CLASSES] = [
    [1, 11],
    [4, 15],
    [2, 15],
    [5, 15],
    [1, 15],
    [6, 15],
    [13, 15],
    [0, 15],
];

/// The truecolor ramp of `class` at `level`: the middle mixed towards the class colour.
fn ramp_rgb(class: usize, level: usize) -> (u8, u8, u8) {
    mix(
        MIDDLE,
        CLASS_RGB[class % CLASSES],
        level.min(LEVELS) as f64 / LEVELS as f64,
    )
}

/// The 256-colour ramps, middle to confident: at each step the xterm entry (from the cube
/// and the grey ramp, not the theme-dependent first sixteen) nearest in CIELAB to the
/// truecolor step, among those no lighter than the step before (so lightness never rises)
/// and of the class's own hue (within [`HUE_TOLERANCE`] degrees of CIELAB hue; a grey only
/// where the step itself is nearly grey), so that a ramp never wanders through a
/// neighbouring hue as the nearest entry of a six-level cube would (blue through teal).
fn ramps_256() -> &'static [[u8; LEVELS + 1]; CLASSES] {
    static RAMPS: std::sync::OnceLock<[[u8; LEVELS + 1]; CLASSES]> = std::sync::OnceLock::new();
    RAMPS.get_or_init(|| {
        let mut out = [[0u8; LEVELS + 1]; CLASSES];
        for (class, ramp) in out.iter_mut().enumerate() {
            let class_lab = lab(CLASS_RGB[class]);
            let mut ceiling = f64::INFINITY;
            for (level, slot) in ramp.iter_mut().enumerate() {
                let want = ramp_rgb(class, level);
                let want_chroma = chroma(lab(want));
                let not_lighter = |i: u8| lab(xterm_rgb(i))[0] <= ceiling + 1e-9;
                let best = nearest_among(want, |i| {
                    not_lighter(i)
                        && (level == 0 || of_hue(lab(xterm_rgb(i)), want_chroma, class_lab))
                })
                .or_else(|| nearest_among(want, not_lighter))
                .unwrap_or(16);
                ceiling = lab(xterm_rgb(best))[0];
                *slot = best;
            }
        }
        out
    })
}

/// A weight's truecolor shade: the dark chrome mixed towards its sign's class colour.
fn weight_rgb(class: usize, level: usize) -> (u8, u8, u8) {
    mix(
        (28, 30, 34),
        CLASS_RGB[class],
        0.15 + 0.85 * level as f64 / LEVELS as f64,
    )
}

/// The weight shades in 256 colours: each the entry nearest the truecolor shade among
/// those of its sign's hue and lightness (see [`nearest_256_hued`]), so that a faint
/// negative weight is a dim orange, not olive.
fn weights_256() -> &'static [[u8; LEVELS + 1]; 2] {
    static W: std::sync::OnceLock<[[u8; LEVELS + 1]; 2]> = std::sync::OnceLock::new();
    W.get_or_init(|| {
        std::array::from_fn(|class| {
            std::array::from_fn(|level| {
                nearest_256_hued(weight_rgb(class, level), CLASS_RGB[class])
            })
        })
    })
}

/// The xterm-256 entry nearest in CIELAB to `want` among those within [`HUE_TOLERANCE`]
/// of `hue_of`'s hue and 10 of `want`'s lightness (a grey where `want` is nearly grey);
/// the nearest of all where none is.
fn nearest_256_hued(want: (u8, u8, u8), hue_of: (u8, u8, u8)) -> u8 {
    let (w, h) = (lab(want), lab(hue_of));
    nearest_among(want, |i| {
        let c = lab(xterm_rgb(i));
        (c[0] - w[0]).abs() <= 10.0 && of_hue(c, chroma(w), h)
    })
    .unwrap_or_else(|| nearest_256(want))
}

/// How far (CIELAB hue, degrees) a 256-colour ramp step may stray from its class's hue.
pub const HUE_TOLERANCE: f64 = 20.0;

/// CIELAB chroma.
pub fn chroma(lab: [f64; 3]) -> f64 {
    lab[1].hypot(lab[2])
}

/// The angle between two CIELAB hues, in degrees (0 to 180).
pub fn hue_gap(a: [f64; 3], b: [f64; 3]) -> f64 {
    let d = (a[2].atan2(a[1]) - b[2].atan2(b[1]))
        .to_degrees()
        .rem_euclid(360.0);
    d.min(360.0 - d)
}

/// Which characters the terminal can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Glyphs {
    /// Everything: Braille dots, half blocks, geometric shapes.
    Unicode,
    /// The Linux console's font: box drawing and block elements (`▀`), no Braille: the
    /// field in half blocks, the boundary and points in ASCII.
    Block,
    /// ASCII only (a locale that is not UTF-8, a VT100): the field as coloured spaces (or,
    /// without colour, the density ramp ` .:;=%`), the boundary as `-|/\`, train points as
    /// `@` and test points as `o` (without colour, `X O A V H N Z S` by class, lower case for
    /// test points).
    Ascii,
}

/// The glyph set the live view uses, set once when it starts (see [`Glyphs::detect`]).
static GLYPHS: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

impl Glyphs {
    /// From the environment: ASCII when the locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`,
    /// the first that is set) is not UTF-8 or none is set, or when `TERM` is `vt100`/`vt220`
    /// (or another `vt` that is not `vte`); blocks on the Linux console (`TERM=linux`);
    /// everything otherwise.
    pub fn detect(
        lc_all: Option<&str>,
        lc_ctype: Option<&str>,
        lang: Option<&str>,
        term: Option<&str>,
    ) -> Self {
        let locale = [lc_all, lc_ctype, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty());
        let utf8 = locale.is_some_and(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        });
        let term = term.unwrap_or("");
        if !utf8 || (term.starts_with("vt") && !term.starts_with("vte")) {
            Glyphs::Ascii
        } else if term == "linux" || term.starts_with("linux-") {
            Glyphs::Block
        } else {
            Glyphs::Unicode
        }
    }

    pub fn from_env() -> Self {
        let var = |k| std::env::var(k).ok();
        Glyphs::detect(
            var("LC_ALL").as_deref(),
            var("LC_CTYPE").as_deref(),
            var("LANG").as_deref(),
            var("TERM").as_deref(),
        )
    }

    /// Makes every palette made from now on use `g` (the live view, once, as it starts).
    pub fn set_for_process(g: Glyphs) {
        GLYPHS.store(g as u8, std::sync::atomic::Ordering::Relaxed);
    }

    fn for_process() -> Self {
        match GLYPHS.load(std::sync::atomic::Ordering::Relaxed) {
            1 => Glyphs::Block,
            2 => Glyphs::Ascii,
            _ => Glyphs::Unicode,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Glyphs::Unicode => "unicode",
            Glyphs::Block => "block",
            Glyphs::Ascii => "ascii",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Palette {
    pub mode: ColorMode,
    /// The characters drawn: the field, its boundary and its points follow them.
    pub glyphs: Glyphs,
}

fn mix(a: (u8, u8, u8), b: (u8, u8, u8), t: f64) -> (u8, u8, u8) {
    let m = |x: u8, y: u8| {
        (x as f64 + (y as f64 - x as f64) * t)
            .round()
            .clamp(0.0, 255.0) as u8
    };
    (m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// The nearest xterm-256 colour (6×6×6 cube or grey ramp).
pub fn to_256((r, g, b): (u8, u8, u8)) -> u8 {
    const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let near = |v: u8| {
        STEPS
            .iter()
            .enumerate()
            .min_by_key(|(_, s)| (**s as i32 - v as i32).abs())
            .map_or(0, |(i, _)| i)
    };
    let (ri, gi, bi) = (near(r), near(g), near(b));
    let cube = (STEPS[ri], STEPS[gi], STEPS[bi]);
    let dist = |c: (u8, u8, u8)| {
        let d = |x: u8, y: u8| (x as i32 - y as i32).pow(2);
        d(c.0, r) + d(c.1, g) + d(c.2, b)
    };
    let avg = (r as u32 + g as u32 + b as u32) / 3;
    let gi_ramp = ((avg as i32 - 8).max(0) / 10).min(23) as u8;
    let grey = 8 + 10 * gi_ramp;
    if dist((grey, grey, grey)) < dist(cube) {
        232 + gi_ramp
    } else {
        16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8
    }
}

impl Palette {
    pub fn new(mode: ColorMode) -> Self {
        Palette {
            mode,
            glyphs: Glyphs::for_process(),
        }
    }

    /// A palette for `mode` drawing with `glyphs`.
    pub fn with_glyphs(mode: ColorMode, glyphs: Glyphs) -> Self {
        Palette { mode, glyphs }
    }

    fn rgb(&self, c: (u8, u8, u8)) -> Color {
        match self.mode {
            ColorMode::Truecolor => Color::Rgb(c.0, c.1, c.2),
            ColorMode::Ansi256 => Color::Indexed(to_256(c)),
            ColorMode::Ansi16 | ColorMode::Mono => Color::Reset,
        }
    }

    pub fn colored(&self) -> bool {
        self.mode != ColorMode::Mono
    }

    /// Background for a cell whose most likely class is `class`, at confidence `level`
    /// (0 = unsure, the light middle … `LEVELS` = certain, the class colour). `None` in mono.
    pub fn shade(&self, class: usize, level: usize) -> Option<Color> {
        let (class, level) = (class % CLASSES, level.min(LEVELS));
        match self.mode {
            ColorMode::Mono => None,
            ColorMode::Truecolor => Some(self.rgb(ramp_rgb(class, level))),
            ColorMode::Ansi256 => Some(Color::Indexed(ramps_256()[class][level])),
            ColorMode::Ansi16 => Some(named16(match (level, LEAN_16[class]) {
                (0..=2, _) => MIDDLE_16,
                (3..=5, Some(lean)) => lean,
                _ => CLASS_16[class],
            })),
        }
    }

    /// The two-class ramp at `p` = P(class 1) in [0, 1]: class 0's confident colour at 0,
    /// the light middle at 0.5, class 1's at 1, in the same steps as the field. `None` in
    /// mono. (A regression field maps its value to `p` and shares the picture.)
    pub fn ramp(&self, p: f64) -> Option<Color> {
        let p = if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let level = ((p - 0.5).abs() * 2.0 * LEVELS as f64).round() as usize;
        self.shade(usize::from(p > 0.5), level)
    }

    /// A class's colour: its points and its name in legends.
    pub fn class(&self, class: usize) -> Color {
        match self.mode {
            ColorMode::Ansi16 => named16(POINT_16[class % CLASSES]),
            ColorMode::Mono => Color::Reset,
            _ => self.rgb(CLASS_RGB[class % CLASSES]),
        }
    }

    /// Test points: the class colour too; they are told apart by their hollow glyph.
    pub fn test_point(&self, class: usize) -> Color {
        self.class(class)
    }

    /// A point's colour on a cell of background `bg`: of its two inks, a dark and a light
    /// tint of the class colour, a train point's the light one (Playground's white outline)
    /// and a test point's the dark one (its black outline) where that differs from `bg` by
    /// 20 L* or more, else the one farther in lightness, so the point stands out from its
    /// own class's field as from the other's and the unsure middle, and over a confident
    /// field train and test differ in tint as well as in shape.
    /// `Reset` in mono.
    pub fn point_on(&self, class: usize, bg: Option<Color>, test: bool) -> Color {
        let class = class % CLASSES;
        let inks: [Color; 2] = match self.mode {
            ColorMode::Mono => return Color::Reset,
            ColorMode::Truecolor => inks_rgb(class).map(|c| self.rgb(c)),
            ColorMode::Ansi256 => inks_256()[class].map(Color::Indexed),
            ColorMode::Ansi16 => INK_16[class].map(named16),
        };
        // No background: the terminal's own, dark as a rule.
        let under = bg.and_then(shown_rgb).map_or(10.0, |c| lab(c)[0]);
        let contrast = |c: &Color| (shown_rgb(*c).map_or(0.0, |c| lab(c)[0]) - under).abs();
        // The preferred ink wherever it stands out, the other only where it does not (the
        // nearly white middle, for train points): one class's points do not change tint
        // from cell to cell over its own field.
        let (first, other) = if test {
            (inks[0], inks[1])
        } else {
            (inks[1], inks[0])
        };
        if contrast(&first) >= LIGHT_INK_CONTRAST || contrast(&first) > contrast(&other) {
            first
        } else {
            other
        }
    }

    /// A point's colour where it lies in another class's region (`bg` that class's shade):
    /// its own class colour, saturated, wherever that differs from `bg` by [`FOREIGN_DELTA_E`]
    /// (blue dots on orange), so a point on the wrong side says which class it is; else,
    /// as on its own field, [`Palette::point_on`].
    pub fn point_on_other(&self, class: usize, bg: Option<Color>, test: bool) -> Color {
        let own = self.class(class);
        match (shown_rgb(own), bg.and_then(shown_rgb)) {
            // Sixteen colours' saturated entries can be as light as the pale band (yellow
            // on light grey): there they must differ in lightness too.
            (Some(a), Some(b))
                if self.colored()
                    && delta_e(a, b) >= FOREIGN_DELTA_E
                    && (self.mode != ColorMode::Ansi16
                        || (lab(a)[0] - lab(b)[0]).abs() >= 20.0) =>
            {
                own
            }
            _ => self.point_on(class, bg, test),
        }
    }

    /// The boundary line's colour: a dark neutral, neither class's hue.
    pub fn boundary(&self) -> Color {
        match self.mode {
            ColorMode::Mono => Color::Reset,
            ColorMode::Ansi16 => Color::Black,
            _ => self.rgb(BOUNDARY),
        }
    }

    /// A point's glyph where it is a character (in colour the field draws points as Braille
    /// dots, this is the legend's): filled for train and hollow for test points; without
    /// colour, one shape per class (filled, hollow, triangles, squares, diamonds), a test
    /// point the small form of its class's shape (• ◦ ▴ ▵ ▪ ▫ ⬩ ⬫; in ASCII lower case).
    pub fn point_glyph(&self, class: usize, test: bool) -> char {
        let ascii = self.glyphs != Glyphs::Unicode;
        match self.mode {
            ColorMode::Mono if ascii && test => SHAPES_ASCII[class % CLASSES].to_ascii_lowercase(),
            ColorMode::Mono if ascii => SHAPES_ASCII[class % CLASSES],
            ColorMode::Mono if test => SHAPES_SMALL[class % CLASSES],
            ColorMode::Mono => SHAPES[class % CLASSES],
            _ if ascii && test => 'o',
            _ if ascii => '@',
            _ if test => '○',
            _ => '●',
        }
    }

    /// A weight's colour: blue for positive, orange for negative, by magnitude in [0, 1].
    pub fn weight(&self, w: f64) -> Color {
        let class = usize::from(w > 0.0);
        let level = ((w.abs().min(1.0)) * LEVELS as f64).round() as usize;
        match self.mode {
            ColorMode::Mono => Color::Reset,
            ColorMode::Ansi16 => match level {
                0..=1 => Color::Black,
                2..=4 => named16(CLASS_16[class]),
                _ => named16(CLASS_16[class] + 8),
            },
            ColorMode::Ansi256 => Color::Indexed(weights_256()[class][level]),
            _ => self.rgb(weight_rgb(class, level)),
        }
    }

    /// A weight's colour, faint: what is not in use (an input feature left out).
    pub fn faint(&self, w: f64) -> Color {
        match self.mode {
            // Sixteen colours have no faint hues: greys by sign.
            ColorMode::Ansi16 => match w {
                w if w > 0.2 => Color::Gray,
                w if w < -0.2 => Color::Black,
                _ => Color::DarkGray,
            },
            _ => self.weight(w * 0.25),
        }
    }

    /// How signs read in this mode: what the network panel's key says.
    pub fn sign_key(&self) -> &'static str {
        match self.mode {
            ColorMode::Ansi16 => "blue > 0 · yellow < 0 · ▪ bias",
            // No colour: thumbnails by dot density, negative edges dotted, biases as + and -.
            ColorMode::Mono => "dense > 0 · sparse < 0 · dotted edge < 0",
            _ => "blue > 0 · orange < 0 · ▪ bias",
        }
    }

    /// Series colours for charts: train, test.
    pub fn series(&self, test: bool) -> Color {
        match (self.mode, test) {
            (ColorMode::Mono, _) => Color::Reset,
            (ColorMode::Ansi16, false) => Color::LightCyan,
            (ColorMode::Ansi16, true) => Color::LightMagenta,
            (_, false) => self.rgb((90, 190, 240)),
            (_, true) => self.rgb((245, 150, 60)),
        }
    }

    pub fn accent(&self) -> Color {
        match self.mode {
            ColorMode::Mono => Color::Reset,
            ColorMode::Ansi16 => Color::LightCyan,
            _ => self.rgb((120, 200, 255)),
        }
    }

    pub fn dim(&self) -> Color {
        match self.mode {
            ColorMode::Mono => Color::Reset,
            ColorMode::Ansi16 => Color::DarkGray,
            _ => self.rgb((130, 134, 140)),
        }
    }

    pub fn warn(&self) -> Color {
        match self.mode {
            ColorMode::Mono => Color::Reset,
            ColorMode::Ansi16 => Color::LightRed,
            _ => self.rgb((255, 95, 90)),
        }
    }
}

/// A racer's colour.
pub fn racer_color(pal: &Palette, i: usize) -> Color {
    const RGB: [(u8, u8, u8); 8] = [
        (255, 99, 99),
        (255, 214, 80),
        (90, 220, 255),
        (230, 120, 255),
        (120, 235, 120),
        (255, 160, 60),
        (240, 240, 240),
        (110, 150, 255),
    ];
    const C16: [Color; 8] = [
        Color::LightRed,
        Color::LightYellow,
        Color::LightCyan,
        Color::LightMagenta,
        Color::LightGreen,
        Color::Yellow,
        Color::White,
        Color::LightBlue,
    ];
    let c = RGB[i % 8];
    match pal.mode {
        ColorMode::Truecolor => Color::Rgb(c.0, c.1, c.2),
        ColorMode::Ansi256 => Color::Indexed(to_256(c)),
        ColorMode::Ansi16 => C16[i % 8],
        ColorMode::Mono => Color::Reset,
    }
}

/// Chart colours, kept apart from the class colours so that a chart's lines never read as
/// classes: Playground's convention of a grey training series under the foreground test
/// series (light on our dark background).
impl Palette {
    /// A loss or accuracy series: train grey, test near-white.
    pub fn chart_series(&self, test: bool) -> Color {
        match (self.mode, test) {
            (ColorMode::Mono, _) => Color::Reset,
            // Grey 7 against white 15 is 229 against 255 in xterm's colours: too close.
            (ColorMode::Ansi16, false) => Color::DarkGray,
            (ColorMode::Ansi16, true) => Color::White,
            (_, false) => self.rgb((150, 156, 168)),
            (_, true) => self.rgb((245, 245, 245)),
        }
    }

    /// The raw series drawn faint under its smoothed line.
    pub fn chart_raw(&self, test: bool) -> Color {
        match (self.mode, test) {
            (ColorMode::Mono, _) => Color::Reset,
            (ColorMode::Ansi16, _) => Color::DarkGray,
            (_, false) => self.rgb((78, 82, 92)),
            (_, true) => self.rgb((112, 114, 122)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_follows_the_conventions() {
        assert_eq!(
            ColorMode::detect(Some("1"), Some("truecolor"), Some("xterm-256color")),
            ColorMode::Mono
        );
        assert_eq!(
            ColorMode::detect(Some(""), Some("truecolor"), None),
            ColorMode::Truecolor
        );
        assert_eq!(
            ColorMode::detect(None, None, Some("xterm-256color")),
            ColorMode::Ansi256
        );
        assert_eq!(
            ColorMode::detect(None, None, Some("xterm")),
            ColorMode::Ansi16
        );
        assert_eq!(ColorMode::detect(None, None, Some("dumb")), ColorMode::Mono);
    }

    /// L* of the field's ramp of `class` in `pal`'s mode, middle (level 0) to confident.
    fn lightness(pal: &Palette, class: usize, rgb: impl Fn(Color) -> (u8, u8, u8)) -> Vec<f64> {
        (0..=LEVELS)
            .map(|l| lab(rgb(pal.shade(class, l).unwrap_or(Color::Reset)))[0])
            .collect()
    }

    /// How a colour is shown: by one palette or another.
    type Shown = dyn Fn(Color) -> (u8, u8, u8);

    fn xterm_shown(c: Color) -> (u8, u8, u8) {
        shown_rgb(c).unwrap_or((0, 0, 0))
    }

    /// The exports' palette (what the PNGs show) for the same colours.
    fn export_shown(c: Color) -> (u8, u8, u8) {
        let [r, g, b] = crate::export::raster::rgb(c, [0, 0, 0]);
        (r, g, b)
    }

    #[test]
    fn every_ramp_darkens_monotonically_from_a_light_middle() {
        for mode in [ColorMode::Truecolor, ColorMode::Ansi256, ColorMode::Ansi16] {
            let pal = Palette::new(mode);
            let palettes: &[(&str, &Shown)] = if mode == ColorMode::Ansi16 {
                &[("xterm", &xterm_shown), ("export", &export_shown)]
            } else {
                &[("xterm", &xterm_shown)]
            };
            for &(name, rgb) in palettes {
                for class in 0..CLASSES {
                    let l = lightness(&pal, class, rgb);
                    let says = format!(
                        "{} colours ({name}), class {class}: L* {l:.1?}",
                        mode.name()
                    );
                    // The middle is light (Playground's #e8eaeb is L* 92.6; xterm's grey 7 is 90.9).
                    assert!(l[0] > 88.0, "{says}");
                    for w in l.windows(2) {
                        assert!(w[1] <= w[0] + 1e-9, "lightness rises: {says}");
                    }
                    // And it does get darker: the confident end is a colour, not the middle.
                    assert!(l[LEVELS] < l[0] - 1.5, "{says}");
                }
            }
        }
    }

    #[test]
    fn the_two_class_ramps_say_their_values() {
        // Chosen by measured lightness (see ramps_256): middle, then towards orange / blue.
        let p = Palette::new(ColorMode::Ansi256);
        let idx = |c: usize| -> Vec<u8> {
            (0..=LEVELS)
                .map(|l| match p.shade(c, l) {
                    Some(Color::Indexed(i)) => i,
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        let l = |c: usize| lightness(&p, c, xterm_shown);
        assert_eq!(idx(0), RAMP_256_ORANGE, "L* {:.1?}", l(0));
        assert_eq!(idx(1), RAMP_256_BLUE, "L* {:.1?}", l(1));
        // Sixteen colours: grey 7 (L* 90.9) → yellow 3 (80.0); grey 7 → bright blue 12
        // (48.4) → blue 4 (29.8), in xterm's default palette.
        let p = Palette::new(ColorMode::Ansi16);
        assert_eq!(p.shade(0, 0), Some(Color::Gray));
        assert_eq!(p.shade(0, LEVELS), Some(Color::Yellow));
        assert_eq!(p.shade(1, 4), Some(Color::LightBlue));
        assert_eq!(p.shade(1, LEVELS), Some(Color::Blue));
    }

    const RAMP_256_ORANGE: [u8; LEVELS + 1] = [255, 254, 223, 223, 180, 179, 179, 172, 172];
    const RAMP_256_BLUE: [u8; LEVELS + 1] = [255, 253, 153, 110, 110, 110, 67, 32, 32];

    #[test]
    fn ramps_in_256_colours_keep_their_class_hue() {
        // Each step with a colour of its own (chroma 6 or more) lies within 20° of CIELAB hue
        // of its class: blue never passes through teal, orange never through olive.
        let p = Palette::new(ColorMode::Ansi256);
        for (class, &rgb) in CLASS_RGB.iter().enumerate().take(CLASSES) {
            let want = lab(rgb);
            for level in 1..=LEVELS {
                let got = lab(xterm_shown(p.shade(class, level).unwrap_or(Color::Reset)));
                if chroma(got) >= 6.0 {
                    let gap = hue_gap(got, want);
                    assert!(
                        gap <= HUE_TOLERANCE,
                        "class {class} level {level}: hue {gap:.0}° off"
                    );
                }
            }
            // The confident end is a colour, not a grey (the grey class aside).
            if chroma(want) > 12.0 {
                let end = lab(xterm_shown(p.shade(class, LEVELS).unwrap_or(Color::Reset)));
                assert!(
                    chroma(end) > 20.0,
                    "class {class}: end chroma {:.0}",
                    chroma(end)
                );
            }
        }
    }

    #[test]
    fn the_two_class_ramp_runs_from_orange_through_the_middle_to_blue() {
        let p = Palette::new(ColorMode::Truecolor);
        assert_eq!(p.ramp(0.0), p.shade(0, LEVELS));
        assert_eq!(p.ramp(0.5), Some(Color::Rgb(232, 234, 235)));
        assert_eq!(p.ramp(1.0), p.shade(1, LEVELS));
        assert_eq!(p.ramp(0.8), p.shade(1, 5));
        assert_eq!(p.ramp(f64::NAN), p.ramp(0.5));
        assert_eq!(Palette::new(ColorMode::Mono).ramp(0.2), None);
    }

    #[test]
    fn class_colours_are_pairwise_distinct_in_every_mode() {
        // CIE76 ΔE between each pair of classes' confident field colours and point colours:
        // at least 25 in truecolor and 256 colours (about where two flat colours stop being
        // taken for one), at least 15 in sixteen colours, whose palette cannot do better for
        // eight classes (its closest pair, magenta 5 and bright magenta 13, is 21.0).
        for (mode, least) in [
            (ColorMode::Truecolor, 25.0),
            (ColorMode::Ansi256, 25.0),
            (ColorMode::Ansi16, 15.0),
        ] {
            let pal = Palette::new(mode);
            for (what, colour) in [
                (
                    "field",
                    &(|c| pal.shade(c, LEVELS).unwrap_or(Color::Reset)) as &dyn Fn(usize) -> Color,
                ),
                ("point", &|c| pal.class(c)),
            ] {
                for a in 0..CLASSES {
                    for b in 0..a {
                        let d = delta_e(xterm_shown(colour(a)), xterm_shown(colour(b)));
                        assert!(
                            d >= least,
                            "{} colours: {what} colours of classes {a} and {b} only ΔE {d:.1} apart",
                            mode.name()
                        );
                    }
                }
            }
            // The boundary line is not taken for a class.
            for c in 0..CLASSES {
                let class = xterm_shown(pal.shade(c, LEVELS).unwrap_or(Color::Reset));
                assert!(
                    delta_e(xterm_shown(pal.boundary()), class) >= least,
                    "{mode:?} {c}"
                );
            }
        }
    }

    #[test]
    fn points_stand_out_from_their_own_field() {
        // A point's ink against the field around it: its own class's confident colour, the
        // unsure middle, and the other class's colour (a misclassified point). ΔL* at least
        // 20 for the two Playground classes in every mode, and at least 15 for the other six
        // in truecolor and 256 colours.
        for mode in [ColorMode::Truecolor, ColorMode::Ansi256, ColorMode::Ansi16] {
            let pal = Palette::new(mode);
            let l = |c: Color| lab(xterm_shown(c))[0];
            let classes = if mode == ColorMode::Ansi16 {
                2
            } else {
                CLASSES
            };
            for c in 0..classes {
                for (what, field) in [
                    ("own field", pal.shade(c, LEVELS)),
                    ("middle", pal.shade(c, 0)),
                    ("other field", pal.shade(1 - c.min(1), LEVELS)),
                ] {
                    for test in [false, true] {
                        let ink = pal.point_on(c, field, test);
                        let d = (l(ink) - l(field.unwrap_or(Color::Reset))).abs();
                        let least = if c < 2 { 20.0 } else { 15.0 };
                        assert!(
                            d >= least,
                            "{mode:?} class {c} (test {test}) on its {what}: ΔL* {d:.1}"
                        );
                    }
                }
                // Over its own confident field a train point is light and a test point
                // dark, as Playground outlines them white and black (16 colours have one
                // ink that stands out on each field: there the shape alone tells).
                let field = pal.shade(c, LEVELS);
                let (train, test) = (pal.point_on(c, field, false), pal.point_on(c, field, true));
                if mode != ColorMode::Ansi16 {
                    assert!(
                        l(train) > l(test) + 20.0,
                        "{mode:?} class {c}: train L* {:.1}, test L* {:.1}",
                        l(train),
                        l(test)
                    );
                }
            }
        }
    }

    #[test]
    fn the_256_colour_dark_inks_are_of_their_class_not_the_boundary_grey() {
        // Each class's dark ink (test points, and points on the pale middle): a colour, not
        // a grey (the dark greys are the boundary's), 22 L* or more below its own confident
        // field, and well away from the boundary.
        let boundary = lab(xterm_rgb(
            match Palette::new(ColorMode::Ansi256).boundary() {
                Color::Rgb(r, g, b) => nearest_256((r, g, b)),
                Color::Indexed(i) => i,
                _ => 0,
            },
        ));
        assert_eq!(inks_256().map(|i| i[0]), [52, 17, 22, 54, 52, 23, 89, 17]);
        for (c, [dark, _]) in inks_256().iter().enumerate() {
            let l = lab(xterm_rgb(*dark));
            let field = lab(xterm_rgb(ramps_256()[c][LEVELS]));
            assert!(chroma(l) >= 12.0, "class {c}: {dark} is a grey");
            assert!(
                l[0] <= field[0] - 22.0,
                "class {c}: L* {:.1} on {:.1}",
                l[0],
                field[0]
            );
            let gap = ((l[0] - boundary[0]).powi(2)
                + (l[1] - boundary[1]).powi(2)
                + (l[2] - boundary[2]).powi(2))
            .sqrt();
            assert!(
                gap >= 15.0,
                "class {c}: {dark} is {gap:.1} from the boundary"
            );
        }
    }

    #[test]
    fn a_point_on_the_wrong_side_shows_its_own_class() {
        // A point on the other class's confident field: its own class colour, far from the
        // field and from the field's own points' ink, so the eye finds it among them.
        for mode in [ColorMode::Truecolor, ColorMode::Ansi256, ColorMode::Ansi16] {
            let pal = Palette::new(mode);
            let rgb = |c: Color| shown_rgb(c).unwrap_or((0, 0, 0));
            for c in 0..2 {
                let field = pal.shade(1 - c, LEVELS);
                for test in [false, true] {
                    let ink = pal.point_on_other(c, field, test);
                    assert_eq!(ink, pal.class(c), "{mode:?} class {c}");
                    let locals = pal.point_on(1 - c, field, test);
                    let f = rgb(field.unwrap_or(Color::Reset));
                    assert!(delta_e(rgb(ink), f) >= 40.0, "{mode:?} class {c}");
                    assert!(delta_e(rgb(ink), rgb(locals)) >= 40.0, "{mode:?} class {c}");
                }
            }
        }
        // Mono has no colour to give.
        let pal = Palette::new(ColorMode::Mono);
        assert_eq!(pal.point_on_other(0, None, false), Color::Reset);
    }

    #[test]
    fn mono_tells_classes_by_glyph() {
        let p = Palette::new(ColorMode::Mono);
        let shapes: std::collections::HashSet<char> =
            (0..CLASSES).map(|c| p.point_glyph(c, false)).collect();
        assert_eq!(shapes.len(), CLASSES);
        assert_eq!(
            (p.point_glyph(0, false), p.point_glyph(1, false)),
            ('●', '○')
        );
        assert_eq!(p.class(0), Color::Reset);
        let p = Palette::new(ColorMode::Ansi256);
        assert_ne!(p.point_glyph(0, false), p.point_glyph(0, true));
    }

    #[test]
    fn the_glyph_set_follows_the_locale_and_the_terminal() {
        let d = Glyphs::detect;
        let utf8 = Some("en_US.UTF-8");
        assert_eq!(d(None, None, utf8, Some("xterm-256color")), Glyphs::Unicode);
        assert_eq!(
            d(None, None, Some("C.utf8"), Some("xterm")),
            Glyphs::Unicode
        );
        // LC_ALL wins over LANG, LC_CTYPE over LANG; an empty one does not count.
        assert_eq!(d(Some("C"), None, utf8, Some("xterm")), Glyphs::Ascii);
        assert_eq!(d(None, Some("POSIX"), utf8, Some("xterm")), Glyphs::Ascii);
        assert_eq!(d(Some(""), None, utf8, Some("xterm")), Glyphs::Unicode);
        // No locale at all is the C locale.
        assert_eq!(d(None, None, None, Some("xterm")), Glyphs::Ascii);
        assert_eq!(d(None, None, Some("C"), Some("xterm")), Glyphs::Ascii);
        // The Linux console: blocks; a VT100 or VT220: ASCII; VTE terminals are not VTs.
        assert_eq!(d(None, None, utf8, Some("linux")), Glyphs::Block);
        assert_eq!(d(None, None, utf8, Some("vt100")), Glyphs::Ascii);
        assert_eq!(d(None, None, utf8, Some("vt220")), Glyphs::Ascii);
        assert_eq!(d(None, None, utf8, Some("vte-256color")), Glyphs::Unicode);
        // Without Unicode the points are ASCII letters too.
        let p = Palette::with_glyphs(ColorMode::Mono, Glyphs::Ascii);
        assert_eq!(
            (p.point_glyph(0, false), p.point_glyph(1, true)),
            ('X', 'o')
        );
        let p = Palette::with_glyphs(ColorMode::Ansi16, Glyphs::Block);
        assert_eq!(
            (p.point_glyph(0, false), p.point_glyph(1, true)),
            ('@', 'o')
        );
    }

    #[test]
    fn xterm_256_mapping_hits_exact_cube_colours() {
        assert_eq!(to_256((255, 0, 0)), 196);
        assert_eq!(to_256((0, 0, 0)), 16);
        assert_eq!(to_256((128, 128, 128)), 244);
    }
}
