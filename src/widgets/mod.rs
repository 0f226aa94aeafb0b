//! Drawing pieces every screen shares, knowing no screen: colours (`palette`), the Braille
//! canvas (`braille`), the probability field (`heatmap`), chart scales (`chart`), the frame
//! around a screen (`chrome`), overlays (`overlay`), weight heatmaps (`weights`), height fields in 3-D (`surface3d`), the network
//! drawn as Playground draws it (`network`) and number formats (`format`).

pub mod braille;
pub mod chart;
pub mod chrome;
pub mod format;
pub mod heatmap;
pub mod network;
pub mod overlay;
pub mod palette;
pub mod surface3d;
pub mod weights;
