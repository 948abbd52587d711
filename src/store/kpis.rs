//! Writes to an initiative's KPIs and their measurements. Each appends its
//! event to the history.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;

use super::change::{Recorder, ids_where};
use super::ops::{KpiInput, value_text};
use super::rows::{self, KpiRow, MeasurementRow};
use super::write::{WriteError, date_text};
use crate::domain::history::{Event, FieldChange};

impl Recorder<'_> {
    pub fn add_kpi(
        &mut self,
        id: i64,
        kpi: &KpiInput,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let position: i64 = self.conn().query_row(
            "SELECT coalesce(max(position) + 1, 0) FROM kpis WHERE initiative_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let baseline_date = kpi.baseline.map(|b| date_text(b.1));
        let target_date = kpi.target.map(|t| date_text(t.1));
        let kpi_id = rows::kpi(
            self.conn(),
            &KpiRow {
                id: None,
                initiative_id: id,
                position,
                name: kpi.name.trim(),
                unit: kpi.unit.trim(),
                direction: kpi.direction.as_str(),
                baseline: kpi.baseline.map(|b| b.0),
                baseline_date: baseline_date.as_deref(),
                target: kpi.target.map(|t| t.0),
                target_date: target_date.as_deref(),
            },
        )?;
        self.inserted("kpis", kpi_id)?;
        self.touch(id, now)?;
        self.event(
            Some(id),
            now,
            &Event::KpiAdded {
                kpi: kpi.name.trim().into(),
            },
        )?;
        Ok(kpi_id)
    }

    pub fn update_kpi(
        &mut self,
        kpi_id: i64,
        kpi: &KpiInput,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let n = self.update(
            "kpis",
            kpi_id,
            "UPDATE kpis SET name = ?2, unit = ?3, direction = ?4, baseline = ?5, baseline_date = ?6,
                             target = ?7, target_date = ?8
              WHERE id = ?1",
            rusqlite::params_from_iter(std::iter::once(Value::Integer(kpi_id)).chain(kpi.columns())),
        )?;
        if n == 0 {
            return Err(WriteError::Stale("that KPI".into()));
        }
        let owner: i64 = self.conn().query_row(
            "SELECT initiative_id FROM kpis WHERE id = ?1",
            [kpi_id],
            |r| r.get(0),
        )?;
        self.touch(owner, now)?;
        if let Some(rc) = self.change.rows.last().filter(|rc| rc.table == "kpis") {
            let (before, after) = (
                rc.before.clone().unwrap_or_default(),
                rc.after.clone().unwrap_or_default(),
            );
            let changes: Vec<FieldChange> = after
                .iter()
                .filter(|(c, v)| before.iter().find(|(b, _)| b == c).map(|(_, bv)| bv) != Some(v))
                .map(|(c, v)| FieldChange {
                    field: c.replace('_', " "),
                    before: before
                        .iter()
                        .find(|(b, _)| b == c)
                        .map(|(_, bv)| value_text(bv))
                        .unwrap_or_default(),
                    after: value_text(v),
                })
                .collect();
            let name = before
                .iter()
                .find(|(c, _)| c == "name")
                .map(|(_, v)| value_text(v))
                .unwrap_or_default();
            self.event(Some(owner), now, &Event::KpiChanged { kpi: name, changes })?;
        }
        Ok(())
    }

    pub fn delete_kpi(&mut self, kpi_id: i64, now: DateTime<Utc>) -> Result<(), WriteError> {
        if let Some((owner, kpi)) = self.kpi_name(kpi_id)? {
            self.event(Some(owner), now, &Event::KpiRemoved { kpi })?;
        }
        for m in ids_where(self.conn(), "measurements", "kpi_id", kpi_id)? {
            self.delete("measurements", m)?;
        }
        self.delete("kpis", kpi_id)?;
        Ok(())
    }

    pub fn add_measurement(
        &mut self,
        kpi_id: i64,
        value: f64,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let Some((owner, kpi)) = self.kpi_name(kpi_id)? else {
            return Err(WriteError::Stale("that KPI".into()));
        };
        self.event(
            Some(owner),
            now,
            &Event::Measured {
                kpi,
                value,
                on: date_text(on),
            },
        )?;
        let measured_on = date_text(on);
        let id = rows::measurement(
            self.conn(),
            &MeasurementRow {
                id: None,
                kpi_id,
                value,
                measured_on: &measured_on,
                created_at: now.timestamp(),
            },
        )?;
        self.inserted("measurements", id)?;
        self.touch(owner, now)?;
        Ok(id)
    }
}
