//! Vangnet's forecasting core: a pure, fast discrete-event simulation of a region's care
//! network — nodes are products, MO forms and housing, each with places (servers) that may
//! change over time; external Poisson arrivals with trend and seasons; stays drawn from
//! exponential, log-normal or fixed distributions; routing between nodes; waiting lists with
//! priority classes; **blocking** (people stay where they are when the next step is full); and
//! housing as a stream of homes. A forecast may start from an observed state.
//!
//! Many independent replications run in parallel ([`run::run`]) and are reported as ranges:
//! means with 99 % confidence intervals per node and quantiles per month (fan charts).
//! Replication `i` is seeded by `Rng::derive(seed, i)`, and every arrival process and every
//! person has their own random stream, so results are identical on any number of threads and
//! scenarios differing only in capacity see the same people (common random numbers).
//!
//! No I/O: scenarios are parsed from a `&str` ([`scenario::parse`]); callers read files.

pub mod calibrate;
pub mod emit;
pub mod engine;
mod heap;
pub mod model;
pub mod run;
pub mod scenario;
pub mod stats;
pub mod validate;

pub use engine::{NodeResult, Replication, Series, Sim};
pub use model::{Arrivals, CapacityChange, Initial, InitialState, Model, Node, Service};
pub use run::{Summary, run, run_replication};
pub use scenario::{ScenarioError, parse};
pub use stats::{Estimate, erlang_c};
