//! The flow metrics of the first frame through SQL ranges over the `V2`
//! indexes: each query follows one part of `metrics::compute`.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::params;

use crate::domain::metrics::{self, FlowMetrics, Oldest};
use crate::domain::{Models, Status};
use crate::store::Store;
use crate::store::read::timestamp;

const SECONDS_PER_DAY: i64 = 86_400;

impl Store {
    /// `metrics::compute` over every row, through ranges of the `V2`
    /// indexes. `None` if `today` cannot be compared as text.
    pub(super) fn flow(
        &self,
        models: &Models,
        now: DateTime<Utc>,
        today: NaiveDate,
        stale_days: i64,
    ) -> rusqlite::Result<Option<FlowMetrics>> {
        if !(0..=9999).contains(&today.year()) {
            return Ok(None);
        }
        let mut m = FlowMetrics::for_models(models);
        // `days_in_step` is `(now - entered).num_days().max(0)`, whole days
        // of whole seconds: at least `d` days exactly when `entered` is at
        // or before `now_s - d * 86,400` (d ≥ 1; `now`'s fraction of a
        // second never adds a day).
        let now_s = now.timestamp();
        let at_least = |days: i64| now_s.saturating_sub(days.saturating_mul(SECONDS_PER_DAY));

        // Every active row (`initiatives_flow`): count, returns, stale ones.
        let (count, returns, stale): (u32, Option<i64>, u32) = self
            .conn
            .prepare_cached(
                "SELECT count(*), sum(returns), count(CASE WHEN step_entered_at <= ?1 THEN 1 END)
                   FROM initiatives WHERE status = 'active'",
            )?
            .query_row([at_least(stale_days)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        m.by_status[0] += count;
        m.returns += returns.unwrap_or(0) as u64;
        m.stale += stale;

        // Active rows of each known model, step by step (`initiatives_flow`):
        // the count and the longest waiting. Rows of a model not known here
        // are counted above, not placed on a step.
        let mut per_step = self.conn.prepare_cached(
            "SELECT count(*), min(step_entered_at)
               FROM initiatives WHERE status = 'active' AND model = ?1 AND step = ?2",
        )?;
        // `compute` keeps the first row (backlog order: priority, id) of
        // those with the most days; they entered at or before `hi`.
        let mut first_oldest = self.conn.prepare_cached(
            "SELECT id FROM initiatives
              WHERE status = 'active' AND model = ?1 AND step = ?2 AND step_entered_at <= ?3
              ORDER BY priority, id LIMIT 1",
        )?;
        for (k, (model, _)) in models.iter().enumerate() {
            let flow = &mut m.per_model[k];
            for i in 0..model.len() {
                let step = i as i64 + 1;
                let (count, oldest): (u32, Option<i64>) =
                    per_step.query_row(params![model.id, step], |r| Ok((r.get(0)?, r.get(1)?)))?;
                flow.active_per_step[i] = count;
                if let Some(entered) = oldest {
                    let days = (now - timestamp(entered)).num_days().max(0);
                    let hi = if days > 0 { at_least(days) } else { i64::MAX };
                    let id = first_oldest.query_row(params![model.id, step, hi], |r| r.get(0))?;
                    flow.oldest_per_step[i] = Some(Oldest { id, days });
                }
            }
        }

        let mut by_status = self
            .conn
            .prepare_cached("SELECT count(*), sum(returns) FROM initiatives WHERE status = ?1")?;
        for status in [Status::OnHold, Status::Cancelled] {
            let (count, returns): (u32, Option<i64>) =
                by_status.query_row([status.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
            m.by_status[status.index()] += count;
            m.returns += returns.unwrap_or(0) as u64;
        }

        // Done rows, one by one (there are fewer, and cycle times need each),
        // through `compute`'s own arithmetic.
        let mut done = self.conn.prepare_cached(
            "SELECT created_at, done_at, returns FROM initiatives WHERE status = 'done'",
        )?;
        let mut cursor = done.query([])?;
        let mut cycles = Vec::new();
        while let Some(r) = cursor.next()? {
            m.by_status[2] += 1;
            m.returns += r.get::<_, u32>(2)? as u64;
            if let Some(done_at) = r.get::<_, Option<i64>>(1)? {
                let (created, done) = (timestamp(r.get(0)?), timestamp(done_at));
                cycles.push(metrics::cycle_days(created, done));
                if let Some(week) = metrics::throughput_week(done, now) {
                    m.throughput[week] += 1;
                }
            }
        }
        drop(cursor);
        // Through a partial index that holds exactly these rows.
        m.unsuccessful = self.conn.query_row(
            "SELECT count(*) FROM initiatives WHERE status = 'done' AND closure_code = 'unsuccessful'",
            [],
            |r| r.get(0),
        )?;
        cycles.sort_by(f64::total_cmp);
        m.set_cycle_times(&cycles);

        // Open rows due before today (`initiatives_by_due`): every due date
        // is a valid `YYYY-MM-DD` here (no unusual rows), so text order is
        // date order.
        let today_text = today.format("%Y-%m-%d").to_string();
        let mut overdue = self
            .conn
            .prepare_cached("SELECT count(*) FROM initiatives WHERE status = ?1 AND due < ?2")?;
        for status in [Status::Active, Status::OnHold] {
            m.overdue +=
                overdue.query_row(params![status.as_str(), today_text], |r| r.get::<_, u32>(0))?;
        }
        m.total = m.by_status.iter().map(|&n| n as usize).sum();
        Ok(Some(m))
    }
}
