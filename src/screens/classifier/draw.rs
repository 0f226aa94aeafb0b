//! Draw your own data: a cursor on the field, a key (or a click) adds a point of a class where
//! it stands, another removes the nearest; the run retrains on the points at once, and they
//! are kept in the scenario as `[data] kind = "points"` (or saved as a CSV).

use crate::data::{DataKind, DataSpec, DrawnPoint, MAX_DRAWN_CLASSES, Split, drawn_split};
use std::path::Path;

/// The draw mode's state: the points as drawn, and which side new points go to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draw {
    pub points: Vec<DrawnPoint>,
    /// New points go to the test set (`T` switches).
    pub test: bool,
    /// The points as a split, drawn on the field even before the run has taken them (a run
    /// needs a training point; a cleared field has none).
    pub shown: Split,
}

impl Draw {
    /// Starts from the data on the field: a drawn set's own points, or every train and test
    /// point of the current data, each with its side.
    pub fn from_data(spec: &DataSpec, data: &Split) -> Draw {
        let points = if spec.kind == DataKind::Points {
            spec.points.clone()
        } else {
            let side = |d: &crate::data::Dataset, test: bool| {
                d.x.iter()
                    .zip(&d.y)
                    .map(move |(&x, &label)| DrawnPoint { x, label, test })
                    .collect::<Vec<_>>()
            };
            let mut p = side(&data.train, false);
            p.extend(side(&data.test, true));
            p
        };
        let mut d = Draw {
            points,
            ..Draw::default()
        };
        d.refresh();
        d
    }

    fn refresh(&mut self) {
        self.shown = drawn_split(&self.points);
    }

    /// Adds a point of `class` at `at`, rounded to a thousandth of `span` (the field's width
    /// and height: finer than a click can aim, short in the file). Refused past the classes
    /// a drawing may have.
    pub fn add(&mut self, at: [f64; 2], span: [f64; 2], class: usize) -> Result<(), String> {
        let round = |v: f64, span: f64| {
            let step = 10f64.powf((span.abs().max(1e-9)).log10().floor() - 3.0);
            let r = (v / step).round() * step;
            // The shortest decimal at that step (0.91, not 0.9100000000000001).
            let digits = (-step.log10()).max(0.0) as usize;
            format!("{r:.digits$}").parse().unwrap_or(r)
        };
        let at = [round(at[0], span[0]), round(at[1], span[1])];
        if class >= MAX_DRAWN_CLASSES {
            return Err(format!(
                "a drawing has classes 0 to {}",
                MAX_DRAWN_CLASSES - 1
            ));
        }
        self.points.push(DrawnPoint {
            x: at,
            label: class,
            test: self.test,
        });
        self.refresh();
        Ok(())
    }

    /// Removes the point nearest `at`, distances measured in the field's own proportions
    /// (`span`: its width and height), and returns it.
    pub fn remove_nearest(&mut self, at: [f64; 2], span: [f64; 2]) -> Option<DrawnPoint> {
        let d = |p: &DrawnPoint| {
            let dx = (p.x[0] - at[0]) / span[0].max(1e-12);
            let dy = (p.x[1] - at[1]) / span[1].max(1e-12);
            dx * dx + dy * dy
        };
        let (i, _) = self
            .points
            .iter()
            .enumerate()
            .min_by(|a, b| d(a.1).total_cmp(&d(b.1)))?;
        let p = self.points.remove(i);
        self.refresh();
        Some(p)
    }

    pub fn clear(&mut self) {
        self.points.clear();
        self.refresh();
    }

    /// The data spec these points make, from `base` (the split and sizes kept).
    pub fn spec(&self, base: &DataSpec) -> DataSpec {
        DataSpec {
            kind: DataKind::Points,
            task: crate::data::Task::Classification,
            samples: self.points.len(),
            noise: 0.0,
            path: None,
            embedded: None,
            random_state: None,
            split_random_state: None,
            points: self.points.clone(),
            ..base.clone()
        }
    }

    /// How many train and test points there are.
    pub fn counts(&self) -> (usize, usize) {
        let test = self.points.iter().filter(|p| p.test).count();
        (self.points.len() - test, test)
    }

    /// The points as CSV text: `x1,x2,label,split`, readable by `[data] kind = "csv"`.
    pub fn csv(&self) -> String {
        let mut s = String::from("x1,x2,label,split\n");
        for p in &self.points {
            s.push_str(&format!(
                "{},{},{},{}\n",
                p.x[0],
                p.x[1],
                p.label,
                if p.test { "test" } else { "train" }
            ));
        }
        s
    }

    /// Writes [`Draw::csv`] to `path`.
    pub fn save_csv(&self, path: &Path) -> Result<(), String> {
        std::fs::write(path, self.csv())
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_added_removed_and_written_as_a_readable_csv() {
        let mut d = Draw::default();
        let span = [10.0, 1.0];
        d.add([0.0, 0.0], span, 0).expect("class 0");
        d.add([1.0, 1.0], span, 1).expect("class 1");
        d.test = true;
        d.add([2.0, -1.0], span, 1).expect("a test point");
        assert!(d.add([0.0, 0.0], span, MAX_DRAWN_CLASSES).is_err());
        // Rounded to a thousandth of the span: 0.01 across 10, 0.001 across 1.
        let mut e = Draw::default();
        e.add([1.23456, -0.987654], span, 0).expect("a point");
        assert_eq!(e.points[0].x, [1.23, -0.988]);
        assert_eq!(d.counts(), (2, 1));
        assert_eq!((d.shown.train.len(), d.shown.test.len()), (2, 1));
        // The nearest in the field's proportions: x spans 10, y spans 1.
        let gone = d.remove_nearest([1.6, 0.9], [10.0, 1.0]).expect("a point");
        assert_eq!(gone.x, [1.0, 1.0]);
        let csv = d.csv();
        assert_eq!(csv, "x1,x2,label,split\n0,0,0,train\n2,-1,1,test\n");
        let spec = crate::data::CsvSpec::default();
        let back = crate::data::parse_csv(&csv, "p.csv", &spec).expect("reads back");
        assert_eq!(back.data.x, [[0.0, 0.0], [2.0, -1.0]]);
        assert_eq!(back.split, Some(vec![false, true]));
        d.clear();
        assert!(d.points.is_empty() && d.shown.train.is_empty());
    }
}
