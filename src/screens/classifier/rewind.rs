//! The chart cursor's epoch in the field: the kept weights nearest the cursor, from the
//! same bounded weight path the loss landscape reads (`Run::trajectory`: at most
//! `TRAJECTORY` snapshots, thinned evenly as the run grows), drawn while training goes on.

use super::run::Run;
use crate::train::Net;
use crate::train::landscape::unflatten;

/// Weights of an earlier epoch, shown in the field in place of the newest.
#[derive(Clone, Debug)]
pub struct Viewing {
    /// The epoch the weights are from (the kept snapshot nearest the cursor).
    pub epoch: usize,
    pub net: Net,
}

/// The kept weights nearest `epoch` (ties: the earlier), as a network of the run's shape.
pub fn nearest(run: &Run, epoch: usize) -> Option<Viewing> {
    let (e, w) = run
        .trajectory
        .iter()
        .min_by_key(|(e, _)| (e.abs_diff(epoch), *e))?;
    let mut net = run.field.clone();
    if w.len() != net.parameter_count() {
        return None;
    }
    unflatten(&mut net, w);
    Some(Viewing { epoch: *e, net })
}
