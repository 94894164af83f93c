package io.cskpi.pipeline;

import io.cskpi.config.CskpiConfig;

import java.time.LocalDate;

/** What every KPI family may read besides its inputs. */
public record RunContext(LocalDate asOf, CskpiConfig config) {}
