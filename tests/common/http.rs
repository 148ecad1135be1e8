//! A small HTTP/1.1 client over `TcpStream`, and a reader of Server-Sent
//! Events, for talking to a real `handout serve`. Raw request lines on
//! purpose: the traversal tests send targets an HTTP library would
//! normalise. Every wait is bounded by `EXCHANGE`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

/// One HTTP exchange.
pub const EXCHANGE: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn content_type(&self) -> &str {
        header(&self.headers, "content-type").unwrap_or("")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The status and headers, for messages.
    pub fn head(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        format!("{} [{}]", self.status, headers.join("; "))
    }
}

pub fn connect(addr: SocketAddr, method: &str, target: &str, close: bool) -> io::Result<TcpStream> {
    let mut stream = TcpStream::connect_timeout(&addr, EXCHANGE)?;
    stream.set_write_timeout(Some(EXCHANGE))?;
    let connection = if close { "Connection: close\r\n" } else { "" };
    let length = if method == "GET" {
        ""
    } else {
        "Content-Length: 0\r\n"
    };
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\n{connection}{length}\r\n"
    )?;
    stream.flush()?;
    Ok(stream)
}

/// One request on its own connection; the whole answer.
pub fn request(addr: SocketAddr, method: &str, target: &str) -> io::Result<Response> {
    let stream = connect(addr, method, target, true)?;
    stream.set_read_timeout(Some(EXCHANGE))?;
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader)?;
    let mut body = Vec::new();
    if is_chunked(&headers) {
        Chunked::new(reader).read_to_end(&mut body)?;
    } else if let Some(length) = content_length(&headers) {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    } else {
        reader.read_to_end(&mut body)?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

pub type Head = (u16, Vec<(String, String)>);

pub fn read_head(reader: &mut impl BufRead) -> io::Result<Head> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid(format!("bad status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(invalid("the headers never ended".into()));
        }
        let line = line.trim_end();
        if line.is_empty() {
            return Ok((status, headers));
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

pub fn is_chunked(headers: &[(String, String)]) -> bool {
    header(headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
}

pub fn content_length(headers: &[(String, String)]) -> Option<usize> {
    header(headers, "content-length").and_then(|v| v.parse().ok())
}

pub fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// A body in chunked transfer encoding, read as the plain bytes.
pub struct Chunked<R> {
    inner: R,
    left: usize,
    done: bool,
}

impl<R: BufRead> Chunked<R> {
    pub fn new(inner: R) -> Self {
        Chunked {
            inner,
            left: 0,
            done: false,
        }
    }
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            if self.inner.read_line(&mut line)? == 0 {
                self.done = true;
                return Ok(0);
            }
            let size = line.trim().split(';').next().unwrap_or("");
            self.left = usize::from_str_radix(size, 16)
                .map_err(|_| invalid(format!("bad chunk size {line:?}")))?;
            if self.left == 0 {
                self.done = true;
                return Ok(0);
            }
        }
        let want = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.left -= n;
        if self.left == 0 {
            let mut crlf = [0; 2];
            self.inner.read_exact(&mut crlf)?;
        }
        Ok(n)
    }
}

#[derive(Debug, Clone)]
pub struct SseEvent {
    pub name: String,
    pub data: String,
}

impl SseEvent {
    /// The saved files a `reload` or `css` event names (its data is a
    /// JSON list of site paths); empty for other events.
    pub fn saved(&self) -> Vec<String> {
        if self.name != "reload" && self.name != "css" {
            return Vec::new();
        }
        serde_json::from_str(&self.data)
            .unwrap_or_else(|e| panic!("{} data is not a list of paths: {e}: {self:?}", self.name))
    }
}

/// An open `/__handout/events` stream, read on a thread.
pub struct Events {
    pub head: Response,
    events: Receiver<SseEvent>,
    stream: TcpStream,
}

impl Events {
    pub fn connect(addr: SocketAddr) -> io::Result<Events> {
        Events::connect_to(addr, "/__handout/events")
    }

    /// The stream at `target`: `/__handout/events?page=/` is the home
    /// page's, as its live script asks for it.
    pub fn connect_to(addr: SocketAddr, target: &str) -> io::Result<Events> {
        let stream = connect(addr, "GET", target, false)?;
        stream.set_read_timeout(Some(EXCHANGE))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let (status, headers) = read_head(&mut reader)?;
        if status != 200 {
            return Err(invalid(format!("events answered {status}")));
        }
        // From here the thread waits as long as the stream is open.
        stream.set_read_timeout(None)?;
        let chunked = is_chunked(&headers);
        let (tx, events) = mpsc::channel();
        thread::spawn(move || {
            let body: Box<dyn BufRead> = if chunked {
                Box::new(BufReader::new(Chunked::new(reader)))
            } else {
                Box::new(reader)
            };
            read_events(body, &tx);
        });
        Ok(Events {
            head: Response {
                status,
                headers,
                body: Vec::new(),
            },
            events,
            stream,
        })
    }

    /// The next event within `timeout`, or None.
    pub fn next(&mut self, timeout: Duration) -> Option<SseEvent> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        // Ends the reading thread and lets the server close its side.
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// Parses `event:`/`data:` lines into events until the stream ends;
/// comments (keep-alives) are skipped.
pub fn read_events(body: impl BufRead, tx: &mpsc::Sender<SseEvent>) {
    let mut name = String::new();
    let mut data: Vec<String> = Vec::new();
    for line in body.lines().map_while(Result::ok) {
        if line.is_empty() {
            if !name.is_empty() || !data.is_empty() {
                let event = SseEvent {
                    name: std::mem::take(&mut name),
                    data: std::mem::take(&mut data).join("\n"),
                };
                if tx.send(event).is_err() {
                    return;
                }
            }
        } else if let Some(value) = line.strip_prefix("event:") {
            name = value.trim_start().to_string();
        } else if let Some(value) = line.strip_prefix("data:") {
            data.push(value.strip_prefix(' ').unwrap_or(value).to_string());
        }
    }
}
