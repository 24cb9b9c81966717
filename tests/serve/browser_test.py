#!/usr/bin/python3
"""The dashboard and the report in Debian's headless chromium (python3-selenium): while a small
sweep trains, the dashboard's finished-run count rises and its phase diagram gains cells;
clicking a running run (a long one beside the sweep) draws its partial curve, which gains
points as it trains; clicking a finished run draws its curves; the static report shows every
figure and logs no error.
Screenshots go to SHOT_DIR (dashboard.png, report.png). Exit 77 (skipped) without chromium."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
except ImportError:
    print("skipped: python3-selenium is not installed (scripts/setup.sh)")
    sys.exit(77)

from serve_common import start_server

geneft, shot_dir = os.path.abspath(sys.argv[1]), sys.argv[2]
chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
if not chromium or not chromedriver:
    print("skipped: chromium or chromium-driver is not installed (scripts/setup.sh)")
    sys.exit(77)
os.makedirs(shot_dir, exist_ok=True)
work = tempfile.mkdtemp(prefix="geneft-browser-")
procs = []
driver = None
T0 = time.time()


def stage(what):
    """Prints what is done and when (seconds since the test started): where the time goes."""
    print("%6.1f s  %s" % (time.time() - T0, what), flush=True)


def wait_for(what, predicate, timeout):
    """Polls predicate() until it is truthy; fails the test after `timeout` seconds. The page
    redraws its tables on every change: an element gone stale is tried again."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (NoSuchElementException, StaleElementReferenceException, ValueError):
            pass
        time.sleep(0.3)
    raise AssertionError("timed out after %d s waiting for %s" % (timeout, what))


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


try:
    db = os.path.join(work, "study.db")
    sweep = os.path.join(work, "sweep.toml")
    with open(sweep, "w") as f:
        f.write('[sweep]\nname = "browser-lr"\nbase = "%s"\nseeds = 1\n'
                '[[sweep.axis]]\nkey = "optim.encoder_lr"\nlog_range = [1e-3, 1e-2, 3]\n'
                '[[sweep.axis]]\nkey = "optim.decoder_lr"\nlog_range = [1e-3, 1e-2, 3]\n'
                '[train]\nsteps = 6000\n' % os.path.abspath("examples/liu2022-toy.toml"))
    # A run long enough to watch while it trains (killed when seen): its id, to find its row.
    toy = os.path.abspath("examples/liu2022-toy.toml")
    long_run = ["--set", "train.steps=2000000", "--set", "train.eval_every=200"]
    long_id = subprocess.run([geneft, "train", toy, "--print-config"] + long_run, check=True, text=True,
                             stdout=subprocess.PIPE).stdout.split()[2]
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1300,1700", "--user-data-dir=" + os.path.join(work, "chrome")]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.page_load_strategy = "eager"  # the DOM and its scripts; the poll does the rest
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    stage("chromium started")
    driver.set_page_load_timeout(150)  # a loaded machine parses plotly.js slowly
    # The browser is up before the sweep starts, so the page sees it from its first runs.
    trainer = subprocess.Popen([geneft, "sweep", sweep, "--db", db, "--jobs", "1", "-q"], stdout=subprocess.DEVNULL)
    procs.append(trainer)
    wait_for("the store", lambda: os.path.exists(db), 60)
    watched = subprocess.Popen([geneft, "train", toy, "--db", db, "-q"] + long_run, stdout=subprocess.DEVNULL)
    procs.append(watched)
    server, port = start_server(geneft, db)
    procs.append(server)
    stage("server up")

    driver.get("http://127.0.0.1:%d/" % port)
    count = lambda: int(driver.find_element(By.ID, "run-count").text)
    cells = lambda: int(driver.find_element(By.ID, "phase").get_attribute("data-cells") or 0)
    wait_for("the run count", lambda: driver.find_elements(By.ID, "run-count"), 60)
    stage("page loaded")
    first_count, first_cells = wait_for("the first counts", lambda: (count(), cells()), 30)
    print("dashboard first sees %d finished runs, %d phase cells" % (first_count, first_cells))
    assert first_count < 9, "the sweep finished before the page loaded: nothing to watch"
    # The long run, in flight: its curve is partial and gains points while the page looks at it.
    points = lambda: int(driver.find_element(By.ID, "curves").get_attribute("data-points") or 0)
    def click_running_run():
        rows = driver.find_elements(By.CSS_SELECTOR, '#runs tbody tr[data-id="%s"]' % long_id)
        if rows and rows[0].find_elements(By.TAG_NAME, "td")[1].text == "running":
            rows[0].click()
            return True
        return False
    wait_for("the long run in the runs table", click_running_run, 60)
    first_points = wait_for("its partial curve", points, 60)
    wait_for("its curve to gain points", lambda: points() > first_points, 60)
    note = driver.find_element(By.ID, "curves-note").text
    assert "partial curve" in note, "the running run's note: %r" % note
    stage("running run's curve went from %d to %d eval points (%s)" % (first_points, points(), note))
    driver.save_screenshot(os.path.join(shot_dir, "dashboard-live.png"))
    watched.kill()
    wait_for("the run count to rise", lambda: count() > first_count, 120)
    stage("run count rose")
    wait_for("the phase diagram to gain a cell", lambda: cells() > first_cells, 120)
    stage("phase diagram gained a cell")
    print("dashboard then sees %d finished runs, %d phase cells" % wait_for("the counts", lambda: (count(), cells()), 30))
    # A finished run (the table also lists the one in flight): click it, its curves appear.
    def click_finished_run():
        for r in driver.find_elements(By.CSS_SELECTOR, "#runs tbody tr"):
            if r.find_elements(By.TAG_NAME, "td")[1].text == "completed":
                r.click()
                return True
        return False
    wait_for("a finished run to click", click_finished_run, 60)
    wait_for("the run's curves", lambda: driver.find_element(By.ID, "curves-note").text == "" and points() > 1, 60)
    wait_for("plotly to draw the curves", lambda: driver.find_elements(By.CSS_SELECTOR, "#curves .scatterlayer .trace"), 30)
    stage("curves drawn")
    time.sleep(1)  # let plotly finish its transitions before the screenshot
    driver.save_screenshot(os.path.join(shot_dir, "dashboard.png"))
    errors = console_errors(driver)
    assert not errors, "dashboard console errors: %s" % errors

    trainer.kill()  # the report reads whatever the store has; the sweep need not finish
    trainer.wait(timeout=30)
    out = os.path.join(work, "report")
    subprocess.run([geneft, "report", db, "-o", out], check=True, stdout=subprocess.DEVNULL)
    stage("report written")
    driver.get("file://" + os.path.join(out, "index.html"))
    wait_for("the report's images", lambda: driver.execute_script(
        "return [...document.images].every(i => i.complete)"), 30)
    images = driver.execute_script("return document.images.length")
    broken = driver.execute_script(
        "return [...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)")
    assert images >= 3 and not broken, "report: %d images, broken: %s" % (images, broken)
    driver.save_screenshot(os.path.join(shot_dir, "report.png"))
    errors = console_errors(driver)
    assert not errors, "report console errors: %s" % errors
    stage("report checked")
    print("report: %d images, all loaded; screenshots in %s" % (images, shot_dir))
finally:
    if driver:
        driver.quit()
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait(timeout=10)
    shutil.rmtree(work, ignore_errors=True)
