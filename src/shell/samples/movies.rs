//! The movie catalogue of the SDK lessons (`samples/moviedata.json`), generated rather than
//! shipped.
//!
//! Its shape is the one of the getting-started movie file that DynamoDB tutorials load with
//! boto3: a JSON array of items keyed by `year` (partition key) and `title` (sort key), each with
//! an `info` map:
//!
//! ```text
//! [
//! {"year": 1987, "title": "The Silent Harbor", "info": {"directors": ["Ada Quill"],
//!   "release_date": "1987-03-14T00:00:00Z", "rating": 7.1, "genres": ["Drama", "Crime"],
//!   "image_url": "https://posters.dblab.example/1987/the-silent-harbor.jpg",
//!   "plot": "Mara, a retired detective, must ...", "rank": 812, "running_time_secs": 6840,
//!   "actors": ["Leo Marlowe", "Nell Okafor", "Hugo Sato"]}},
//! ...
//! ]
//! ```
//!
//! (one item a line in the file). A few thousand items are a lot of text, about 2.5 MB, but the
//! code and word lists that make them are a few kilobytes, so the file is made on demand from a
//! fixed seed and is the same bytes every time, in every browser. How it is made:
//!
//! 1. **People**: pools of directors and actors, each a first and last name from
//!    [`movie_words`](super::movie_words) with a career (a span of years); a few are prolific.
//! 2. **Years**: drawn with more films in recent decades than in the 1920s, then sorted, so that a
//!    sequel can name a film made before it.
//! 3. **Each film**: a title from a pattern, unique within its year (year and title are the
//!    table's key); people whose careers cover the year; one to three genres by weight; a
//!    rating around 6.4 with a long tail of flops; a plot from a template. Like real data, some
//!    films lack some fields (recent ones are often not rated yet).
//! 4. **Rank**: films are ordered by a popularity score (rating, recency and luck), ranked 1..N
//!    and written in that order.

use super::movie_words as words;
use crate::engines::rng::Rng;
use std::collections::BTreeSet;
use std::fmt::Write;

/// How many films the catalogue has.
pub const COUNT: usize = 4_600;
/// The years films are spread over.
pub const FIRST_YEAR: u32 = 1920;
pub const LAST_YEAR: u32 = 2025;
/// The generator's seed: changing it changes every film.
const SEED: u64 = 0x000D_B1AB_0F11_3500;
/// Where the (invented) posters live: `.example` is a name reserved never to resolve.
const POSTERS: &str = "https://posters.dblab.example";

/// A person of the catalogue and the years they worked.
struct Person {
    name: String,
    from: u32,
    to: u32,
}

/// One film before it is written out.
struct Movie {
    year: u32,
    title: String,
    directors: Vec<usize>,
    /// Month and day of release.
    release: Option<(u32, u32)>,
    /// The rating in tenths (71 is 7.1).
    rating: Option<u32>,
    genres: Vec<&'static str>,
    has_image: bool,
    plot: Option<String>,
    running_secs: Option<u32>,
    actors: Vec<usize>,
    /// Higher is more popular; decides the rank.
    popularity: u64,
}

/// The whole catalogue as JSON text: the same bytes on every call.
pub fn generate() -> String {
    let mut rng = Rng::new(SEED);
    let directors = people(&mut rng, 320);
    let actors = people(&mut rng, 1_400);
    let mut years: Vec<u32> = (0..COUNT).map(|_| year(&mut rng)).collect();
    years.sort_unstable();

    let mut keys: BTreeSet<(u32, String)> = BTreeSet::new();
    let mut movies: Vec<Movie> = Vec::with_capacity(COUNT);
    for year in years {
        let title = unique_title(&mut rng, year, &movies, &mut keys);
        let movie = film(&mut rng, year, title, &directors, &actors);
        movies.push(movie);
    }
    // Most popular first; ties broken by key so the order never depends on the sort.
    movies.sort_by(|a, b| b.popularity.cmp(&a.popularity).then(a.year.cmp(&b.year)).then(a.title.cmp(&b.title)));

    let mut out = String::with_capacity(COUNT * 620);
    out.push_str("[\n");
    for (i, movie) in movies.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        write_movie(&mut out, movie, i + 1, &directors, &actors);
    }
    out.push_str("\n]\n");
    out
}

/// An element of `list` (the lists are never empty; an empty one gives "").
fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    if list.is_empty() {
        return "";
    }
    list[(rng.next_u64() % list.len() as u64) as usize]
}

/// True with a probability of `percent` in 100.
fn chance(rng: &mut Rng, percent: u64) -> bool {
    rng.range(0, 99) < percent
}

/// `count` people with distinct names and careers of 3 to 45 years starting 1905-2020.
fn people(rng: &mut Rng, count: usize) -> Vec<Person> {
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(count);
    // The name space (3,000 pairs) is larger than any pool, so this ends; the bound makes sure.
    for _ in 0..count * 8 {
        if out.len() == count {
            break;
        }
        let name = format!("{} {}", pick(rng, words::FIRST_NAMES), pick(rng, words::LAST_NAMES));
        if !names.insert(name.clone()) {
            continue;
        }
        let from = rng.range(1905, 2020) as u32;
        let to = (from + rng.range(3, 45) as u32).min(LAST_YEAR);
        out.push(Person { name, from, to });
    }
    out
}

/// Films per decade, relative (the 2020s have six years here): a catalogue is mostly recent
/// films, with the 2010s about eight times the 1920s.
const DECADES: &[(u32, u32)] = &[
    (1920, 2),
    (1930, 3),
    (1940, 3),
    (1950, 4),
    (1960, 4),
    (1970, 5),
    (1980, 7),
    (1990, 10),
    (2000, 14),
    (2010, 16),
    (2020, 7),
];

/// A year: a decade by [`DECADES`]' weights, then a year in it.
fn year(rng: &mut Rng) -> u32 {
    let total: u32 = DECADES.iter().map(|d| d.1).sum();
    let mut draw = rng.range(0, u64::from(total.max(1)) - 1) as u32;
    for &(decade, weight) in DECADES {
        if draw < weight {
            return decade + rng.range(0, u64::from(LAST_YEAR.saturating_sub(decade).min(9))) as u32;
        }
        draw -= weight;
    }
    LAST_YEAR
}

/// A title no film of `year` has yet. A few films are sequels of an earlier one.
fn unique_title(rng: &mut Rng, year: u32, earlier: &[Movie], keys: &mut BTreeSet<(u32, String)>) -> String {
    for attempt in 0..16 {
        let title = if attempt == 0 && chance(rng, 4) && !earlier.is_empty() {
            let original = &earlier[rng.range(0, earlier.len() as u64 - 1) as usize].title;
            format!("{original}{}", pick(rng, words::SEQUEL_MARKS))
        } else {
            title(rng)
        };
        if keys.insert((year, title.clone())) {
            return title;
        }
    }
    // Sixteen collisions in a row are unlikely; a number makes the title unique regardless.
    let base = title(rng);
    let mut n = 2;
    loop {
        let numbered = format!("{base} {n}");
        if keys.insert((year, numbered.clone())) {
            return numbered;
        }
        n += 1;
    }
}

/// Fills a template's `{X}` slots (one letter each) with what `fill` appends for the letter.
fn fill_template(template: &str, out: &mut String, mut fill: impl FnMut(char, &mut String)) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let mut slot = rest[open + 1..].chars();
        if let Some(letter) = slot.next() {
            fill(letter, out);
        }
        rest = match rest[open..].find('}') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    out.push_str(rest);
}

/// A title from one of the patterns.
fn title(rng: &mut Rng) -> String {
    let pattern = pick(rng, words::TITLE_PATTERNS);
    let mut out = String::with_capacity(pattern.len() + 24);
    fill_template(pattern, &mut out, |slot, out| {
        out.push_str(match slot {
            'A' => pick(rng, words::ADJECTIVES),
            'N' | 'M' => pick(rng, words::NOUNS),
            'P' => pick(rng, words::PLACES),
            'F' => pick(rng, words::FIRST_NAMES),
            'L' => pick(rng, words::LAST_NAMES),
            'V' => pick(rng, words::VERBS),
            'R' => pick(rng, words::PREPOSITIONS),
            _ => "",
        })
    });
    // "the Moon" starts a title with a capital: "The Moon".
    capitalised(out)
}

/// `text` with its first letter in upper case (the word lists are ASCII).
fn capitalised(mut text: String) -> String {
    if let Some(first) = text.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// Indexes of `count` distinct people of `pool` who worked in `year` (or anyone, if the pool has
/// nobody that year). The square of a uniform draw favours the first of the pool: a few people
/// are in many films, as in life.
fn cast(rng: &mut Rng, pool: &[Person], year: u32, count: usize) -> Vec<usize> {
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    for _ in 0..count * 40 {
        if chosen.len() == count || pool.is_empty() {
            break;
        }
        let u = rng.range(0, 9_999);
        let index = (u * u / 10_000 * pool.len() as u64 / 10_000) as usize;
        let person = &pool[index.min(pool.len() - 1)];
        if (person.from..=person.to).contains(&year) && !chosen.contains(&index) {
            chosen.push(index);
        }
    }
    chosen
}

/// Everything about one film but its rank.
fn film(rng: &mut Rng, year: u32, title: String, directors: &[Person], actors: &[Person]) -> Movie {
    let director_count = if chance(rng, 7) { 2 } else { 1 };
    let directors = if chance(rng, 2) { Vec::new() } else { cast(rng, directors, year, director_count) };
    let actor_count = match rng.range(0, 99) {
        0..=1 => 0,
        2..=6 => 1,
        7..=14 => 2,
        _ => 3,
    };
    let actors_of = cast(rng, actors, year, actor_count);

    let release = if chance(rng, 4) {
        None
    } else {
        let month = rng.range(1, 12) as u32;
        Some((month, rng.range(1, days_in(month) as u64) as u32))
    };

    // Not rated yet: most of the films of the last two years, a few others.
    let unrated = if year >= LAST_YEAR - 1 { chance(rng, 40) } else { chance(rng, 2) };
    let rating = if unrated { None } else { Some(rating(rng, year)) };

    let genre_count = match rng.range(0, 99) {
        0 => 0,
        1..=34 => 1,
        35..=79 => 2,
        _ => 3,
    };
    let mut genres: Vec<&'static str> = Vec::new();
    for _ in 0..genre_count * 8 {
        if genres.len() == genre_count {
            break;
        }
        let genre = weighted_genre(rng);
        if !genres.contains(&genre) {
            genres.push(genre);
        }
    }

    let plot = if chance(rng, 4) {
        None
    } else {
        let hero_name = actors_of.first().and_then(|&i| actors[i].name.split(' ').next()).map(str::to_string);
        Some(plot(rng, hero_name.as_deref()))
    };

    let running_secs = if chance(rng, 6) {
        None
    } else {
        // Around 105 minutes: the sum of two draws peaks in the middle.
        let minutes = 62 + rng.range(0, 45) + rng.range(0, 45) + if chance(rng, 8) { rng.range(20, 70) } else { 0 };
        Some(minutes as u32 * 60)
    };

    let recency = u64::from(year - FIRST_YEAR) * 25;
    let popularity = u64::from(rating.unwrap_or(50)) * 30 + recency + rng.range(0, 1_600);
    Movie {
        year,
        title,
        directors,
        release,
        rating,
        genres,
        has_image: !chance(rng, 5),
        plot,
        running_secs,
        actors: actors_of,
        popularity,
    }
}

/// The days of a month (February has 28: a release on the 29th is not worth a leap-year rule).
fn days_in(month: u32) -> u32 {
    match month {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A rating in tenths, 10 to 99: a bell around 6.4 (the sum of four draws), a little higher for
/// old films (the ones still listed are the ones remembered), and a tail of flops.
fn rating(rng: &mut Rng, year: u32) -> u32 {
    if chance(rng, 3) {
        return rng.range(10, 45) as u32;
    }
    let sum: i64 = (0..4).map(|_| rng.range(0, 100) as i64).sum();
    let old_bonus = if year < 1970 { 3 } else { 0 };
    (64 + (sum - 200) * 12 / 58 + old_bonus).clamp(10, 99) as u32
}

/// A genre drawn by [`words::GENRES`]' weights.
fn weighted_genre(rng: &mut Rng) -> &'static str {
    let total: u32 = words::GENRES.iter().map(|g| g.1).sum();
    let mut draw = rng.range(0, u64::from(total.max(1)) - 1) as u32;
    for &(genre, weight) in words::GENRES {
        if draw < weight {
            return genre;
        }
        draw -= weight;
    }
    "Drama"
}

/// A plot from a template; the hero is named after the film's lead when it has one.
fn plot(rng: &mut Rng, lead: Option<&str>) -> String {
    let template = pick(rng, words::PLOTS);
    let mut out = String::with_capacity(template.len() + 120);
    fill_template(template, &mut out, |slot, out| match slot {
        'H' => {
            let who = pick(rng, words::HEROES);
            match lead {
                Some(name) => {
                    let _ = write!(out, "{name}, {who},");
                }
                None => out.push_str(who),
            }
        }
        'G' => out.push_str(pick(rng, words::GOALS)),
        'T' => out.push_str(pick(rng, words::DEADLINES)),
        'E' => out.push_str(pick(rng, words::EVENTS)),
        'C' => out.push_str(pick(rng, words::CHOICES)),
        'P' => out.push_str(pick(rng, words::PLACES)),
        _ => {}
    });
    // "Mara, a pilot, must" reads well, but a hero at a sentence's end would leave ",." behind.
    if out.contains(",.") {
        out = out.replace(",.", ".");
    }
    capitalised(out)
}

/// A poster's address: the title in lower case, runs of other characters as one `-`.
fn poster(year: u32, title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    format!("{POSTERS}/{year}/{slug}.jpg")
}

/// Appends `text` as a JSON string. Runs of characters that need no escape are copied whole
/// (the word lists have none that do; this is a hot loop of the generator).
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    let mut plain_from = 0;
    for (i, byte) in text.bytes().enumerate() {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            out.push_str(&text[plain_from..i]);
            let _ = match byte {
                b'"' => write!(out, "\\\""),
                b'\\' => write!(out, "\\\\"),
                _ => write!(out, "\\u{byte:04x}"),
            };
            plain_from = i + 1;
        }
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
}

fn push_names(out: &mut String, key: &str, names: impl Iterator<Item = impl AsRef<str>>) {
    let _ = write!(out, "\"{key}\": [");
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_json_string(out, name.as_ref());
    }
    out.push_str("], ");
}

/// One film as one line of JSON (without the separating comma).
fn write_movie(out: &mut String, movie: &Movie, rank: usize, directors: &[Person], actors: &[Person]) {
    let _ = write!(out, "{{\"year\": {}, \"title\": ", movie.year);
    push_json_string(out, &movie.title);
    out.push_str(", \"info\": {");
    if !movie.directors.is_empty() {
        push_names(out, "directors", movie.directors.iter().map(|&i| directors[i].name.as_str()));
    }
    if let Some((month, day)) = movie.release {
        let _ = write!(out, "\"release_date\": \"{}-{month:02}-{day:02}T00:00:00Z\", ", movie.year);
    }
    if let Some(tenths) = movie.rating {
        let _ = write!(out, "\"rating\": {}.{}, ", tenths / 10, tenths % 10);
    }
    if !movie.genres.is_empty() {
        push_names(out, "genres", movie.genres.iter());
    }
    if movie.has_image {
        out.push_str("\"image_url\": ");
        push_json_string(out, &poster(movie.year, &movie.title));
        out.push_str(", ");
    }
    if let Some(plot) = &movie.plot {
        out.push_str("\"plot\": ");
        push_json_string(out, plot);
        out.push_str(", ");
    }
    let _ = write!(out, "\"rank\": {rank}");
    if let Some(secs) = movie.running_secs {
        let _ = write!(out, ", \"running_time_secs\": {secs}");
    }
    if !movie.actors.is_empty() {
        out.push_str(", ");
        push_names(out, "actors", movie.actors.iter().map(|&i| actors[i].name.as_str()));
        // push_names leaves ", " for a following field; actors is the last.
        out.truncate(out.len() - 2);
    }
    out.push_str("}}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::sync::OnceLock;

    /// The catalogue, parsed once for all the tests.
    fn catalogue() -> &'static (String, Vec<Value>) {
        static CATALOGUE: OnceLock<(String, Vec<Value>)> = OnceLock::new();
        CATALOGUE.get_or_init(|| {
            let text = generate();
            let items = match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(items)) => items,
                other => panic!("the catalogue is not a JSON array: {other:?}"),
            };
            (text, items)
        })
    }

    #[test]
    fn the_same_bytes_every_time() {
        let (text, _) = catalogue();
        assert!(generate() == *text, "two runs differ");
        // Pinned so that a change to the generator or its word lists is a decision: the
        // catalogue's bytes change in every lab. After a deliberate change, put the new length.
        assert_eq!(text.len(), 2_009_223, "the catalogue's length changed");
    }

    #[test]
    fn every_item_has_the_tutorial_shape() {
        let (_, items) = catalogue();
        assert_eq!(items.len(), COUNT);
        let mut keys = BTreeSet::new();
        let mut ranks = BTreeSet::new();
        for item in items {
            let year = item["year"].as_u64().expect("a year") as u32;
            let title = item["title"].as_str().expect("a title");
            assert!((FIRST_YEAR..=LAST_YEAR).contains(&year), "{item}");
            assert!(!title.is_empty() && title.trim() == title, "{item}");
            assert!(keys.insert((year, title.to_string())), "the key ({year}, {title}) twice");
            let info = item["info"].as_object().expect("an info map");
            ranks.insert(info["rank"].as_u64().expect("a rank"));
            for (field, value) in info {
                match field.as_str() {
                    "directors" | "genres" | "actors" => {
                        let names = value.as_array().expect("a list");
                        assert!(!names.is_empty() && names.iter().all(Value::is_string), "{item}");
                    }
                    "release_date" => {
                        let date = value.as_str().expect("a date");
                        assert!(date.starts_with(&format!("{year}-")) && date.ends_with("T00:00:00Z"), "{item}");
                    }
                    "rating" => {
                        let rating = value.as_f64().expect("a number");
                        assert!((1.0..=9.9).contains(&rating), "{item}");
                    }
                    "image_url" => assert!(value.as_str().expect("a url").starts_with(POSTERS), "{item}"),
                    "plot" => assert!(value.as_str().expect("a plot").ends_with('.'), "{item}"),
                    "rank" => {}
                    "running_time_secs" => assert!(value.as_u64().expect("seconds") % 60 == 0, "{item}"),
                    other => panic!("an unexpected field {other}: {item}"),
                }
            }
        }
        assert_eq!(ranks, (1..=COUNT as u64).collect::<BTreeSet<_>>(), "ranks are 1..N, once each");
    }

    #[test]
    fn ratings_have_one_decimal_and_a_bell_shape() {
        let (text, items) = catalogue();
        // One decimal as written: "rating": 7.0, never 7 or 7.05.
        for part in text.split("\"rating\": ").skip(1) {
            let number = part.split(',').next().unwrap_or("");
            assert!(number.len() == 3 && number.as_bytes()[1] == b'.', "rating {number}");
        }
        let ratings: Vec<f64> = items.iter().filter_map(|i| i["info"]["rating"].as_f64()).collect();
        let mean = ratings.iter().sum::<f64>() / ratings.len() as f64;
        assert!((5.8..7.0).contains(&mean), "mean rating {mean}");
        let middling = ratings.iter().filter(|r| (5.0..8.0).contains(*r)).count();
        assert!(middling * 10 > ratings.len() * 7, "most films are middling");
        assert!(ratings.iter().any(|r| *r < 3.0) && ratings.iter().any(|r| *r >= 9.0), "and some are not");
    }

    #[test]
    fn years_spread_over_the_century_and_lean_recent() {
        let (_, items) = catalogue();
        let in_decade =
            |from: u64| items.iter().filter(|i| (from..from + 10).contains(&i["year"].as_u64().unwrap_or(0))).count();
        assert!(in_decade(1920) >= 50, "the 1920s have films");
        assert!(in_decade(2010) > 4 * in_decade(1920), "the 2010s have many more");
        let years: BTreeSet<u64> = items.iter().filter_map(|i| i["year"].as_u64()).collect();
        assert!(years.len() > 100, "nearly every year has a film: {}", years.len());
    }

    #[test]
    fn like_real_data_some_items_lack_some_fields() {
        let (_, items) = catalogue();
        for field in
            ["directors", "release_date", "rating", "genres", "image_url", "plot", "running_time_secs", "actors"]
        {
            let missing = items.iter().filter(|i| i["info"].get(field).is_none()).count();
            assert!(missing > 0 && missing < COUNT / 10, "{field} is missing from {missing} items");
        }
    }

    #[test]
    fn the_catalogue_fits_a_file_and_is_too_big_for_one_cli_call() {
        let (text, items) = catalogue();
        assert!(text.len() < crate::shell::fs::MAX_FILE / 3 * 2, "room left to append: {}", text.len());
        assert!(items.len() > 25 * 100, "far more than BatchWriteItem's 25 items");
    }
}
