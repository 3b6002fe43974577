//! A hook's commit against real faults, driven through dispatches as a
//! hook drives it: the process killed at random moments (`crash`), and a
//! full filesystem or a snapshot write cut short (`faults`). The state they
//! move between is `generations`.

mod crash;
mod faults;
mod generations;
