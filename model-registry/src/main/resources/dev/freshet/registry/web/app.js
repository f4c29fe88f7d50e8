// Freshet model registry page. Reads the native API (/api/v1) every few seconds and shows each
// model: aliases, charts across versions, versions with gate verdicts, gate-rejected candidates.
// Every string from the API goes into the page as a text node or attribute, never as HTML.
(function () {
  "use strict";

  var REFRESH_MS = 5000;
  var TABLE_ROWS = 50; // versions in the table (and whose gates are fetched); charts show all
  // Series colours, one per task (in order of first appearance), and freshness.
  var TASK_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"];
  var FRESHNESS_COLOUR = "#7b3294";

  var main = document.getElementById("models");
  var statusEl = document.getElementById("status");
  var gateCache = new Map(); // "model/version" -> gates (manifests are immutable)
  var shown = new Map(); // model -> {signature, section, charts}
  var chartsDrawn = new Set();

  // --- DOM helpers: text only --------------------------------------------------------------

  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== undefined && attrs[k] !== null) {
          e.setAttribute(k, String(attrs[k]));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) {
        continue;
      }
      e.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function setStatus(text, error) {
    statusEl.textContent = text;
    statusEl.className = error ? "error" : "";
  }

  // --- values ------------------------------------------------------------------------------

  /** A finite number, or null (metrics may be the string "NaN"). */
  function num(v) {
    return typeof v === "number" && isFinite(v) ? v : null;
  }

  function fmt(v, digits) {
    var n = num(v);
    return n === null ? (v === null || v === undefined ? "–" : String(v)) : n.toFixed(digits);
  }

  function fmtSeconds(v) {
    var n = num(v);
    if (n === null) {
      return "–";
    }
    if (Math.abs(n) < 120) {
      return n.toFixed(1) + " s";
    }
    if (Math.abs(n) < 7200) {
      return (n / 60).toFixed(1) + " min";
    }
    return (n / 3600).toFixed(1) + " h";
  }

  function fmtTime(iso) {
    if (!iso) {
      return "–";
    }
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  }

  function verdictCell(check) {
    if (!check) {
      return el("td", { class: "verdict none" }, "–");
    }
    var v = String(check.verdict || "").toLowerCase();
    var cls = v === "pass" || v === "fail" || v === "skipped" ? v : "none";
    return el("td", { class: "verdict " + cls, title: check.detail || "" }, v || "?");
  }

  /** Names in order of first appearance across items, from each item's list or map keys. */
  function union(items, keysOf) {
    var seen = [];
    items.forEach(function (it) {
      keysOf(it).forEach(function (k) {
        if (seen.indexOf(k) < 0) {
          seen.push(k);
        }
      });
    });
    return seen;
  }

  // --- fetching ----------------------------------------------------------------------------

  function getJson(path) {
    return fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" }).then(function (r) {
      if (!r.ok) {
        throw new Error(path + ": HTTP " + r.status);
      }
      return r.json();
    });
  }

  function enc(s) {
    return encodeURIComponent(s);
  }

  function fetchGates(model, versions) {
    var missing = versions.filter(function (v) {
      return !gateCache.has(model + "/" + v.version);
    });
    // A few at a time: the first load of a long history should not flood the registry.
    var chain = Promise.resolve();
    for (var i = 0; i < missing.length; i += 6) {
      (function (batch) {
        chain = chain.then(function () {
          return Promise.all(
            batch.map(function (v) {
              return getJson("/api/v1/models/" + enc(model) + "/versions/" + v.version).then(function (d) {
                gateCache.set(model + "/" + v.version, d.gates || []);
              });
            })
          );
        });
      })(missing.slice(i, i + 6));
    }
    return chain;
  }

  function fetchModel(m) {
    var base = "/api/v1/models/" + enc(m.name);
    return Promise.all([getJson(base + "/versions?page_size=1000"), getJson(base + "/candidates")]).then(function (r) {
      var versions = r[0].versions || [];
      var candidates = r[1].candidates || [];
      return fetchGates(m.name, versions.slice(0, TABLE_ROWS)).then(function () {
        return { model: m, versions: versions, candidates: candidates };
      });
    });
  }

  // --- rendering ---------------------------------------------------------------------------

  function aliasChips(aliases) {
    var div = el("div", { class: "aliases" }, "Aliases: ");
    var names = Object.keys(aliases || {});
    if (names.length === 0) {
      div.appendChild(el("span", { class: "empty" }, "none"));
    }
    names.forEach(function (a) {
      div.appendChild(el("span", { class: "alias" }, a + " → v" + aliases[a]));
    });
    return div;
  }

  function versionsTable(data, tasks) {
    var rows = data.versions.slice(0, TABLE_ROWS);
    if (rows.length === 0) {
      return el("p", { class: "empty" }, "No versions yet.");
    }
    var gatesOf = function (v) {
      return gateCache.get(data.model.name + "/" + v.version) || [];
    };
    var checks = union(rows, function (v) {
      return gatesOf(v).map(function (g) {
        return g.name;
      });
    });
    var head = el("tr", null, el("th", null, "version"), el("th", null, "created"), el("th", null, "state"));
    checks.forEach(function (c) {
      head.appendChild(el("th", { title: "gate check" }, c));
    });
    tasks.forEach(function (t) {
      head.appendChild(el("th", null, "AUC " + t));
      head.appendChild(el("th", null, "log loss " + t));
    });
    head.appendChild(el("th", null, "freshness"));
    head.appendChild(el("th", null, "aliases"));
    var body = el("tbody");
    rows.forEach(function (v) {
      var gates = gatesOf(v);
      var tr = el(
        "tr",
        { class: "version " + (v.state || ""), "data-version": v.version },
        el("td", { class: "num" }, "v" + v.version),
        el("td", null, fmtTime(v.created_at)),
        el("td", { class: "state" }, v.state || "")
      );
      checks.forEach(function (c) {
        tr.appendChild(
          verdictCell(
            gates.find(function (g) {
              return g.name === c;
            })
          )
        );
      });
      tasks.forEach(function (t) {
        var m = (v.metrics || {})[t] || {};
        tr.appendChild(el("td", { class: "num" }, fmt(m.auc, 4)));
        tr.appendChild(el("td", { class: "num" }, fmt(m.log_loss, 4)));
      });
      tr.appendChild(el("td", { class: "num" }, fmtSeconds(v.freshness_seconds)));
      tr.appendChild(el("td", null, (v.aliases || []).join(", ")));
      body.appendChild(tr);
    });
    var table = el("table", { class: "versions" }, el("thead", null, head), body);
    var wrap = el("div", null, table);
    if (data.versions.length > rows.length) {
      wrap.appendChild(el("p", { class: "empty" }, "Newest " + rows.length + " of " + data.versions.length + " versions."));
    }
    return wrap;
  }

  function candidatesTable(candidates) {
    if (candidates.length === 0) {
      return el("p", { class: "empty" }, "No candidate was rejected by the gate.");
    }
    var body = el("tbody");
    candidates.forEach(function (c) {
      var failed = (c.gates || []).filter(function (g) {
        return String(g.verdict).toUpperCase() === "FAIL";
      });
      var list = el("ul", { class: "failed" });
      if (failed.length === 0) {
        (c.failed_checks || []).forEach(function (name) {
          list.appendChild(el("li", null, name));
        });
      }
      failed.forEach(function (g) {
        list.appendChild(el("li", null, el("span", { class: "verdict fail" }, g.name), g.detail ? " — " + g.detail : ""));
      });
      body.appendChild(
        el(
          "tr",
          { class: "candidate" },
          el("td", null, c.candidate || ""),
          el("td", null, fmtTime(c.created_at)),
          el("td", null, c.parent === null || c.parent === undefined ? "–" : "v" + c.parent),
          el("td", null, list)
        )
      );
    });
    var head = el("tr", null, el("th", null, "candidate"), el("th", null, "created"), el("th", null, "parent"), el("th", null, "failed checks"));
    return el("table", { class: "candidates" }, el("thead", null, head), body);
  }

  function publishChartRects() {
    var rects = [];
    main.querySelectorAll(".chart .u-over").forEach(function (o) {
      var r = o.getBoundingClientRect();
      rects.push([Math.round(r.left + window.scrollX), Math.round(r.top + window.scrollY), Math.round(r.width), Math.round(r.height)]);
    });
    document.body.dataset.chartRects = JSON.stringify(rects);
    document.body.dataset.charts = String(chartsDrawn.size);
  }

  var chartIds = 0;

  function chart(parent, title, xs, series, width) {
    var box = el("div", { class: "chart" }, el("h4", null, title));
    parent.appendChild(box);
    var id = ++chartIds;
    var opts = {
      width: width,
      height: 220,
      scales: { x: { time: false } },
      legend: { live: false },
      series: [{ label: "version", value: function (u, v) { return v === null ? "–" : "v" + v; } }].concat(
        series.map(function (s) {
          return { label: s.label, stroke: s.colour, width: 2, spanGaps: true, points: { show: true, size: 6, fill: s.colour } };
        })
      ),
      axes: [
        {
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
          values: function (u, vals) {
            return vals.map(function (v) {
              return Number.isInteger(v) ? "v" + v : "";
            });
          },
        },
        { size: 60 },
      ],
      hooks: {
        draw: [
          function () {
            chartsDrawn.add(id);
            publishChartRects();
          },
        ],
      },
    };
    var data = [xs].concat(
      series.map(function (s) {
        return s.values;
      })
    );
    return { id: id, plot: new uPlot(opts, data, box) };
  }

  function charts(data, tasks, container) {
    var asc = data.versions.slice().reverse();
    var xs = asc.map(function (v) {
      return v.version;
    });
    var metric = function (key) {
      return tasks.map(function (t, i) {
        return {
          label: t,
          colour: TASK_COLOURS[i % TASK_COLOURS.length],
          values: asc.map(function (v) {
            return num(((v.metrics || {})[t] || {})[key]);
          }),
        };
      });
    };
    var row = el("div", { class: "charts" });
    container.appendChild(row);
    // Three to a row: the row's width less two 12px gaps and each box's padding and border.
    var width = Math.max(260, Math.floor((row.clientWidth - 2 * 12) / 3) - 10);
    return [
      chart(row, "AUC per task", xs, metric("auc"), width),
      chart(row, "Log loss per task", xs, metric("log_loss"), width),
      chart(
        row,
        "Freshness (seconds from newest event to publication)",
        xs,
        [
          {
            label: "freshness s",
            colour: FRESHNESS_COLOUR,
            values: asc.map(function (v) {
              return num(v.freshness_seconds);
            }),
          },
        ],
        width
      ),
    ];
  }

  function render(data) {
    var name = data.model.name;
    var signature = JSON.stringify([data, data.versions.slice(0, TABLE_ROWS).map(function (v) {
      return gateCache.get(name + "/" + v.version) || null;
    })]);
    var old = shown.get(name);
    if (old && old.signature === signature) {
      return;
    }
    var tasks = union(data.versions, function (v) {
      return Object.keys(v.metrics || {});
    });
    var section = el(
      "section",
      { class: "model", "data-model": name },
      el("h2", null, name),
      aliasChips(data.model.aliases),
      el("div", { class: "meta" }, data.versions.length + " versions, " + data.candidates.length + " rejected candidates")
    );
    var plots = [];
    if (old) {
      destroy(old);
      main.replaceChild(section, old.section);
    } else {
      main.appendChild(section);
    }
    if (data.versions.length > 0) {
      plots = charts(data, tasks, section);
    }
    section.appendChild(el("h3", null, "Versions"));
    section.appendChild(versionsTable(data, tasks));
    section.appendChild(el("h3", null, "Candidates rejected by the gate"));
    section.appendChild(candidatesTable(data.candidates));
    shown.set(name, { signature: signature, section: section, charts: plots });
    publishChartRects();
  }

  function destroy(entry) {
    entry.charts.forEach(function (c) {
      chartsDrawn.delete(c.id);
      c.plot.destroy();
    });
  }

  function refresh() {
    return getJson("/api/v1/models")
      .then(function (r) {
        var models = r.models || [];
        return Promise.all(models.map(fetchModel)).then(function (all) {
          var names = all.map(function (d) {
            return d.model.name;
          });
          shown.forEach(function (entry, n) {
            if (names.indexOf(n) < 0) {
              destroy(entry);
              main.removeChild(entry.section);
              shown.delete(n);
            }
          });
          all.forEach(render);
          if (all.length === 0 && !main.querySelector(".empty.nomodels")) {
            main.appendChild(el("p", { class: "empty nomodels" }, "No models in the registry yet."));
          } else if (all.length > 0) {
            var none = main.querySelector(".empty.nomodels");
            if (none) {
              main.removeChild(none);
            }
          }
          publishChartRects();
          setStatus("updated " + new Date().toLocaleTimeString(), false);
        });
      })
      .catch(function (e) {
        setStatus("cannot read the registry: " + e.message, true);
      })
      .then(function () {
        setTimeout(refresh, REFRESH_MS);
      });
  }

  refresh();
})();
