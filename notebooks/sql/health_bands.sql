-- Customers and MRR per health band at the latest snapshot (the as-of date).
SELECT band,
       count(*)   AS customers,
       sum(mrr)   AS mrr,
       avg(score) AS score_avg
FROM health_scores_current
WHERE snapshot_date = (SELECT max(snapshot_date) FROM health_scores_current)
GROUP BY band
ORDER BY CASE band WHEN 'red' THEN 1 WHEN 'yellow' THEN 2 WHEN 'green' THEN 3 ELSE 4 END
