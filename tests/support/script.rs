//! A scripted HTTP/1.1 server on 127.0.0.1 for fault injection: the n-th connection
//! gets the n-th step of the script (the last step repeats), each on a thread of its
//! own so that a stalled answer does not hold up the next attempt. It records when
//! each connection arrived and the request it carried.
//!
//! Needs the `socket2` crate (to close with a reset); include it with
//! `#[path = "…/support/script.rs"] mod script;` next to `mod support;`.

#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::{read_request, write_reply, Recorded, Reply};

#[derive(Debug, Clone)]
pub enum Step {
    Reply(Reply),
    /// Closes the connection with a reset (RST) before reading anything.
    ResetBeforeRequest,
    /// Reads the whole request, then closes with a reset without answering.
    ResetAfterRequest,
    /// Reads the request and answers only after this long.
    Stall(Duration, Reply),
}

/// One connection: when it was accepted, and the request read from it (none when the
/// step closed it first).
#[derive(Debug, Clone)]
pub struct Arrival {
    pub at: Instant,
    pub request: Option<Recorded>,
}

pub struct ScriptServer {
    pub base_url: String,
    pub addr: SocketAddr,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
}

impl ScriptServer {
    pub fn start(script: Vec<Step>) -> ScriptServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        ScriptServer::serve(listener, script)
    }

    /// Serves `script` on `addr` once `delay` has passed; until then connections to it
    /// are refused (nothing listens). The port must be free.
    pub fn start_later(addr: SocketAddr, delay: Duration, script: Vec<Step>) -> ScriptServer {
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&arrivals);
        thread::spawn(move || {
            thread::sleep(delay);
            let listener = TcpListener::bind(addr).expect("bind the same port again");
            accept_loop(listener, script, log);
        });
        ScriptServer {
            base_url: format!("http://{addr}/v1"),
            addr,
            arrivals,
        }
    }

    fn serve(listener: TcpListener, script: Vec<Step>) -> ScriptServer {
        let addr = listener.local_addr().expect("local addr");
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&arrivals);
        thread::spawn(move || accept_loop(listener, script, log));
        ScriptServer {
            base_url: format!("http://{addr}/v1"),
            addr,
            arrivals,
        }
    }

    pub fn arrivals(&self) -> Vec<Arrival> {
        self.arrivals.lock().expect("log").clone()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.arrivals.lock().expect("log").len()
    }

    /// The requests read, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.arrivals()
            .into_iter()
            .filter_map(|a| a.request)
            .collect()
    }

    /// The time between one connection and the next.
    pub fn gaps(&self) -> Vec<Duration> {
        let arrivals = self.arrivals();
        arrivals.windows(2).map(|w| w[1].at - w[0].at).collect()
    }
}

fn accept_loop(listener: TcpListener, script: Vec<Step>, log: Arc<Mutex<Vec<Arrival>>>) {
    for (n, stream) in listener.incoming().enumerate() {
        let Ok(stream) = stream else { continue };
        let index = {
            let mut log = log.lock().expect("log");
            log.push(Arrival {
                at: Instant::now(),
                request: None,
            });
            log.len() - 1
        };
        let step = script[n.min(script.len() - 1)].clone();
        let log = Arc::clone(&log);
        thread::spawn(move || handle(stream, step, index, &log));
    }
}

fn handle(stream: TcpStream, step: Step, index: usize, log: &Mutex<Vec<Arrival>>) {
    let record = |request: Recorded| log.lock().expect("log")[index].request = Some(request);
    match step {
        Step::ResetBeforeRequest => reset(stream),
        Step::ResetAfterRequest => {
            if let Some(request) = read_request(&stream) {
                record(request);
            }
            reset(stream);
        }
        Step::Reply(reply) => {
            if let Some(request) = read_request(&stream) {
                record(request);
                write_reply(stream, &reply);
            }
        }
        Step::Stall(wait, reply) => {
            if let Some(request) = read_request(&stream) {
                record(request);
                thread::sleep(wait);
                write_reply(stream, &reply);
            }
        }
    }
}

/// Closes with RST rather than FIN: a zero linger time discards the connection.
fn reset(stream: TcpStream) {
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    drop(stream);
}
